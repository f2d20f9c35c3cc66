/**
 * Error answers in the format the client asked for: an HTML page for browsers,
 * RFC 9457 problem+json for programs. Used by notFound, onError and the routes.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../env';
import { negotiate } from '../http/negotiate';
import { PROBLEM_JSON, type Problem, problemBody } from '../http/problem';
import { ErrorPage } from '../views/error-page';

const ERROR_REPRESENTATIONS = [
  { mediaType: 'text/html', html: true },
  { mediaType: PROBLEM_JSON, html: false },
  { mediaType: 'application/json', html: false },
] as const;

/**
 * @example return respondWithError(c, { status: 404, title: 'Not Found', detail: 'No article here.' })
 */
export function respondWithError(c: Context<AppEnv>, problem: Problem & { detail: string }) {
  // An error the client cannot accept is still more useful than a 406 (RFC 9110 §12.1).
  const chosen = negotiate(c, ERROR_REPRESENTATIONS) ?? ERROR_REPRESENTATIONS[1];
  c.header('Vary', 'Accept');
  const status = problem.status as ContentfulStatusCode;
  if (chosen.html) {
    return c.html(
      <ErrorPage siteName={c.env.SITE_NAME} title={problem.title} detail={problem.detail} />,
      status,
    );
  }
  return c.body(problemBody(problem), status, { 'Content-Type': PROBLEM_JSON });
}

export function notFound(c: Context<AppEnv>) {
  return respondWithError(c, {
    status: 404,
    title: 'Not Found',
    detail: `Nothing is published at ${new URL(c.req.url).pathname}.`,
  });
}
