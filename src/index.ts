/**
 * kvpress worker: assembly only. Routes live in src/routes, HTTP rules in src/http.
 */
import { Hono } from 'hono';
import { methodNotAllowed as allowedMethods } from 'hono/method-not-allowed';
import { trimTrailingSlash } from 'hono/trailing-slash';
import { StoreError } from './articles/store';
import type { AppEnv } from './env';
import { articles } from './routes/articles';
import { methodNotAllowed, notFound, respondWithError } from './routes/errors';
import { home } from './routes/home';

const app = new Hono<AppEnv>();

// Turns a 404 on a known path with another method into 405 + Allow (RFC 9110 §15.5.6).
app.use(allowedMethods({ app, onMethodNotAllowed: methodNotAllowed }));
// `/articles/<slug>/` → 301 to the canonical URL without the slash.
app.use(trimTrailingSlash());

app.route('/', home);
app.route('/articles', articles);

// OPTIONS answers what the resource allows, without reading anything (RFC 9110 §9.3.7).
app.on('OPTIONS', ['/', '/articles/:file'], (c) =>
  c.body(null, 204, { Allow: 'GET, HEAD, OPTIONS' }),
);

app.notFound(notFound);

app.onError((error, c) => {
  // Logged with context for the operator; the client gets a plain answer, never a stack trace.
  const where = `${c.req.method} ${new URL(c.req.url).pathname}`;
  console.error(
    `${where}: ${error instanceof StoreError ? error.message : (error.stack ?? error)}`,
  );
  if (error instanceof StoreError) {
    return respondWithError(
      c,
      {
        status: 503,
        title: 'Service Unavailable',
        detail: 'The article store returned data it could not read. Please try again shortly.',
      },
      { 'Retry-After': '30' },
    );
  }
  return respondWithError(c, {
    status: 500,
    title: 'Internal Server Error',
    detail: 'Something went wrong on our side. It has been logged.',
  });
});

export default app;
