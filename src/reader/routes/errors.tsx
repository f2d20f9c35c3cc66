/**
 * Error answers in the format the client asked for: an HTML page for browsers,
 * RFC 9457 problem+json for programs. Used by notFound, onError and the routes.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { NO_STORE } from '../../http/cache-policy';
import { negotiate } from '../../http/negotiate';
import { PROBLEM_JSON, type Problem, problemBody } from '../../http/problem';
import type { RepresentationSpec } from '../../http/representations';
import { ErrorPage } from '../../views/error-page';
import { readConfig } from '../config';
import type { AppEnv } from '../env';

const ERROR_REPRESENTATIONS = [
  { mediaType: 'text/html', contentType: 'text/html; charset=utf-8', html: true },
  { mediaType: PROBLEM_JSON, html: false },
  { mediaType: 'application/json', html: false },
] as const;

/**
 * @example return respondWithError(c, { status: 404, title: 'Not Found', detail: 'No article here.' })
 */
export async function respondWithError(
  c: Context<AppEnv>,
  problem: Problem & { detail: string },
  headers: Record<string, string> = {},
) {
  // An error the client cannot accept is still more useful than a 406 (RFC 9110 §12.1).
  const chosen = negotiate(c, ERROR_REPRESENTATIONS) ?? ERROR_REPRESENTATIONS[1];
  const status = problem.status as ContentfulStatusCode;
  // onError may run before the middleware that sets the config.
  const config = c.var.config ?? readConfig(c.env);
  const allHeaders: Record<string, string> = {
    // A 404 too: the URL may be published the next second (docs/caching.md).
    'Cache-Control': NO_STORE,
    ...headers,
    Vary: 'Accept',
  };
  if (chosen.html) {
    const page = await (
      <ErrorPage
        siteName={config.siteName}
        lang={config.siteLang}
        title={problem.title}
        detail={problem.detail}
      />
    ).toString();
    return c.body(page, status, { ...allHeaders, 'Content-Type': 'text/html; charset=utf-8' });
  }
  return c.body(problemBody(problem), status, { ...allHeaders, 'Content-Type': PROBLEM_JSON });
}

export function notFound(c: Context<AppEnv>) {
  return respondWithError(c, {
    status: 404,
    title: 'Not Found',
    detail: `Nothing is published at ${shortened(new URL(c.req.url).pathname)}.`,
  });
}

/**
 * A 404 on a variant URL (`/articles/x.json`), in that variant's format, whatever `Accept` says:
 * the page for `.html`, problem+json for the JSON variants, plain Markdown for `.md`. Its bytes
 * never depend on `Accept`, so it carries no `Vary: Accept`.
 */
export async function variantNotFound(c: Context<AppEnv>, mediaType: string) {
  const config = c.var.config ?? readConfig(c.env);
  const detail = `Nothing is published at ${shortened(new URL(c.req.url).pathname)}.`;
  const headers = { 'Cache-Control': NO_STORE };
  if (mediaType === 'text/html') {
    const page = await (
      <ErrorPage
        siteName={config.siteName}
        lang={config.siteLang}
        title="Not Found"
        detail={detail}
      />
    ).toString();
    return c.body(page, 404, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
  }
  if (mediaType === 'text/markdown') {
    return c.body(`# Not Found\n\n${detail}\n`, 404, {
      ...headers,
      'Content-Type': 'text/markdown; charset=utf-8',
    });
  }
  return c.body(problemBody({ status: 404, title: 'Not Found', detail }), 404, {
    ...headers,
    'Content-Type': PROBLEM_JSON,
  });
}

/** Long request paths are cut before being shown back: an error page is not an echo service. */
function shortened(path: string): string {
  return path.length > 120 ? `${path.slice(0, 120)}…` : path;
}

/** 406, listing every representation the resource has and where each can be had directly. */
export function notAcceptable(
  c: Context<AppEnv>,
  available: readonly RepresentationSpec[],
  hrefOf: (representation: RepresentationSpec) => string,
) {
  return respondWithError(c, {
    status: 406,
    title: 'Not Acceptable',
    detail: `No representation matches the Accept header. Available: ${available
      .map((r) => r.mediaType)
      .join(', ')}.`,
    available: available.map((r) => ({ type: r.mediaType, href: hrefOf(r) })),
  });
}

/** 405 for a method the URL does not support (RFC 9110 §15.5.6: Allow is required). */
export function methodNotAllowedAnswer(c: Context<AppEnv>, methods: readonly string[]) {
  const allow = methods.join(', ');
  return respondWithError(
    c,
    {
      status: 405,
      title: 'Method Not Allowed',
      detail: `${c.req.method} is not supported here. Allowed: ${allow}.`,
    },
    { Allow: allow },
  );
}

/** KV is not answering and no copy is held (RFC 9110 §15.6.4: Retry-After says when to retry). */
export function storeUnavailable(c: Context<AppEnv>) {
  return respondWithError(
    c,
    {
      status: 503,
      title: 'Service Unavailable',
      detail: 'The article store is not answering. Please try again shortly.',
    },
    { 'Retry-After': '10' },
  );
}

/** A precondition (If-Match, If-Unmodified-Since, or If-None-Match on an unsafe method) failed. */
export function preconditionFailed(c: Context<AppEnv>) {
  return respondWithError(c, {
    status: 412,
    title: 'Precondition Failed',
    detail: 'The representation has changed since the validator you sent.',
  });
}
