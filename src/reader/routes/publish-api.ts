/**
 * /api: the publishing API for editors and CI systems. Off (404) unless the PUBLISH_TOKEN
 * secret is set; every request needs `Authorization: Bearer <token>`. The handlers, and the
 * Markdown renderer and YAML parser they use, are loaded on first use: the reader path never
 * pays for them.
 */
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { Hono } from 'hono/tiny';
import { MAX_DOCUMENT_BYTES } from '../../articles/schema';
import { tokenMatches } from '../../publisher/auth';
import type { AppEnv } from '../env';
import { apiProblem, methodNotAllowed, notFound } from './errors';

export const publishApi = new Hono<AppEnv>();

const handlers = () => import('../../publisher/handlers');

/** The API's secret; unset (or empty), the API is off. */
const publishToken = (c: Context<AppEnv>) => (c.env as { PUBLISH_TOKEN?: string }).PUBLISH_TOKEN;

publishApi.use('*', async (c, next) => {
  const secret = publishToken(c);
  if (!secret) return notFound(c);
  if (!(await tokenMatches(c.req.header('Authorization'), secret))) {
    // RFC 6750 §3: the challenge names the scheme; the token itself is never echoed or logged.
    return apiProblem(
      c,
      { status: 401, title: 'Unauthorized', detail: 'Send Authorization: Bearer <PUBLISH_TOKEN>.' },
      { 'WWW-Authenticate': 'Bearer realm="kvpress publishing"' },
    );
  }
  await next();
  c.header('Cache-Control', 'no-store');
});

const tooLarge = (c: Context<AppEnv>) =>
  apiProblem(c, {
    status: 413,
    title: 'Content Too Large',
    detail: `A document may be at most ${MAX_DOCUMENT_BYTES} bytes.`,
  });

publishApi.get('/articles', async (c) => (await handlers()).listArticles(c));
publishApi.get('/articles/:slug', async (c) => (await handlers()).getArticle(c));
publishApi.put(
  '/articles/:slug',
  bodyLimit({ maxSize: MAX_DOCUMENT_BYTES, onError: tooLarge }),
  async (c) => (await handlers()).putArticle(c),
);
publishApi.delete('/articles/:slug', async (c) => (await handlers()).deleteArticle(c));

/**
 * 405 + Allow for the API, as problem+json like its other errors; none while the API is off
 * (it answers 404 to everything then, as if it were not there).
 */
export function apiMethodNotAllowed(c: Context<AppEnv>, methods: readonly string[]) {
  return publishToken(c) ? methodNotAllowed(c, methods, apiProblem) : undefined;
}
