/**
 * kvpress worker: assembly only. Routes live in src/routes, HTTP rules in src/http.
 */
import { Hono } from 'hono';
import { StoreError } from './articles/store';
import type { AppEnv } from './env';
import { articles } from './routes/articles';
import { notFound, respondWithError } from './routes/errors';
import { home } from './routes/home';

const app = new Hono<AppEnv>();

app.route('/', home);
app.route('/articles', articles);

app.notFound(notFound);

app.onError((error, c) => {
  // Logged with context for the operator; the client gets a plain answer, never a stack trace.
  console.error(`${c.req.method} ${new URL(c.req.url).pathname}:`, error);
  if (error instanceof StoreError) {
    c.header('Retry-After', '30');
    return respondWithError(c, {
      status: 503,
      title: 'Service Unavailable',
      detail: 'The article store returned data it could not read. Please try again shortly.',
    });
  }
  return respondWithError(c, {
    status: 500,
    title: 'Internal Server Error',
    detail: 'Something went wrong on our side. It has been logged.',
  });
});

export default app;
