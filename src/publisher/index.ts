/**
 * The publisher Worker: the publishing API at /api (the reader forwards /api/* here over a
 * service binding, so the site keeps one origin), bearer-token auth with failed attempts
 * limited per address, and the one Durable Object that writes (SiteWriter). This Worker builds
 * records (parse, validate, render: the CPU work) and the object evaluates and commits them.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { CURRENT_VERSION_PATH } from '../articles/keys';
import { type CurrentVersion, MAX_DOCUMENT_BYTES } from '../articles/schema';
import { reportOnce } from '../articles/settings';
import { describeError } from '../describe-error';
import { ProblemError } from '../http/problem';
import { securityHeaders } from '../http/security-headers';
import { ACTOR_ICON_PATH } from '../views/paths';
import {
  deleteArticle,
  getArticle,
  listArticles,
  listRevisions,
  putArticle,
  rollbackArticle,
  submitArticle,
} from './api/articles';
import { syncFiles } from './api/sync';
import { slugParam } from './api/validators';
import { readPublisherConfig } from './config';
import { type PublisherEnv, problem } from './context';
import { actorIcon } from './federation/icon';
import { getFollowers, INBOX_MAX_BYTES, postInbox } from './federation/inbox';
import { authenticated } from './people/authenticate';
import { adminAsset, newsroomShell } from './people/newsroom';
import { invitationPage, linkPage, signInPage } from './people/pages';
import { peopleRoutes } from './people/routes';
import {
  linkSignIn,
  register,
  registrationOptions,
  signIn,
  signInOptions,
  signOut,
} from './people/webauthn';
import {
  createPreview,
  PREVIEW_PATH,
  previewKeyForm,
  revokePreviews,
  showPreview,
} from './previews';

export { SiteWriter } from './site-writer';

/** Largest sync batch: every file of content/ in one request. */
const MAX_SYNC_BYTES = 32 * 1024 * 1024;

const app = new Hono<PublisherEnv>();

// The same headers as the reader's answers: one origin, one policy (HSTS only over https).
app.use(securityHeaders);
app.use('/api/*', async (c, next) => {
  await next();
  // Nothing the API answers may be stored by any cache (RFC 9111 §5.2.2.5).
  c.res.headers.set('Cache-Control', 'no-store');
});

// The settings, parsed once (config.ts): a bad one answers every request 503, naming it.
const misconfigured = reportOnce();
app.use(async (c, next) => {
  const settings = readPublisherConfig(c.env);
  if (!settings.ok) {
    const what = misconfigured(c.env, settings.problems);
    throw new ProblemError(503, 'Service Unavailable', `The publisher is misconfigured: ${what}.`, {
      headers: { 'Cache-Control': 'no-store' },
    });
  }
  c.set('config', settings.config);
  // The Durable Object, one named instance per site.
  c.set('site', c.env.SITE.get(c.env.SITE.idFromName('site')));
  await next();
});

app.use('/api/*', async (c, next) => {
  // The API is off until PUBLISH_TOKEN is set: it answers 404, as if it were not there.
  if (!c.var.config.publishToken) {
    throw new ProblemError(404, 'Not Found', 'Nothing is published at this path.');
  }
  await next();
});
// Who is calling (people/authenticate.ts): PUBLISH_TOKEN, a personal token, Access or a session.
app.use('/api/*', authenticated);

app.use(
  methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) =>
      problem(
        c,
        405,
        'Method Not Allowed',
        `${c.req.method} is not supported here. Allowed: ${methods.join(', ')}.`,
        { Allow: methods.join(', ') },
      ),
  }),
);

const tooLarge = (limit: number) => ({
  maxSize: limit,
  onError: (c: Parameters<typeof problem>[0]) =>
    problem(c, 413, 'Content Too Large', `A request body may be at most ${limit} bytes.`),
});

app.get('/api/articles', listArticles);
app.get('/api/status', async (c) => c.json(await c.var.site.status()));
app.get('/api/articles/:slug', slugParam, getArticle);
app.put('/api/articles/:slug', slugParam, bodyLimit(tooLarge(MAX_DOCUMENT_BYTES)), putArticle);
app.delete('/api/articles/:slug', slugParam, deleteArticle);
app.get('/api/articles/:slug/revisions', slugParam, listRevisions);
app.post('/api/articles/:slug/rollback', slugParam, rollbackArticle);
app.post('/api/articles/:slug/review', slugParam, submitArticle);
app.post('/api/sync', bodyLimit(tooLarge(MAX_SYNC_BYTES)), syncFiles);
app.post('/api/articles/:slug/preview', slugParam, createPreview);
app.delete('/api/articles/:slug/preview', slugParam, revokePreviews);
// People, tokens, sessions, the audit trail (people/routes.ts).
app.route('/api', peopleRoutes);
// Signing in (people/pages.tsx, people/webauthn.ts): the newsroom's door.
app.get('/admin', newsroomShell);
app.get('/admin/articles/:slug', newsroomShell);
app.get('/admin/app/*', adminAsset);
app.get('/admin/sign-in', signInPage);
app.get('/admin/invitation', invitationPage);
app.get('/admin/sign-in/link', linkPage);
app.post('/admin/passkeys/options', bodyLimit(tooLarge(4096)), registrationOptions);
app.post('/admin/passkeys', bodyLimit(tooLarge(65_536)), register);
app.post('/admin/sign-in/options', bodyLimit(tooLarge(4096)), signInOptions);
app.post('/admin/sign-in', bodyLimit(tooLarge(65_536)), signIn);
app.post('/admin/sign-in/link', bodyLimit(tooLarge(4096)), linkSignIn);
app.post('/admin/sign-out', signOut);
// The preview page itself: no API token needed, the key is the secret, and it never travels in
// a URL (see previews.tsx).
app.get(PREVIEW_PATH, previewKeyForm);
app.post(PREVIEW_PATH, bodyLimit(tooLarge(4096)), showPreview);
// ActivityPub's write side (the reader forwards these; federation/inbox.ts).
app.post('/actor/inbox', bodyLimit(tooLarge(INBOX_MAX_BYTES)), postInbox);
app.post('/inbox', bodyLimit(tooLarge(INBOX_MAX_BYTES)), postInbox);
app.get('/actor/followers', getFollowers);
app.get(ACTOR_ICON_PATH, actorIcon);
// The reader's version source (src/reader/version-source.ts): what every key of is in KV.
app.get(CURRENT_VERSION_PATH, async (c) => {
  // Who asks: a location (the reader's colo) and its isolate, for GET /api/status's gauge.
  const label = (name: string) => (c.req.header(name) ?? 'unknown').slice(0, 64);
  const { version, seq } = await c.var.site.readable(
    label('Kvpress-Location'),
    label('Kvpress-Isolate'),
  );
  const body: CurrentVersion = { version: version === 'unpublished' ? null : version, seq };
  return c.json(body, 200, { 'Cache-Control': 'no-store' });
});

app.notFound((c) => {
  const res = problem(c, 404, 'Not Found', 'Nothing is published at this path.');
  res.headers.set('Cache-Control', 'no-store');
  return res;
});
app.onError((error, c) => {
  // A thrown problem is an answer (handlers throw them where they find them).
  if (error instanceof ProblemError) {
    return problem(c, error.status, error.title, error.message, error.headers, error.extensions);
  }
  // Anything else is ours: a 500 that says nothing, logged once with an id the answer names.
  // No secret is in a path (a preview's key travels in the body): the path may be logged.
  const requestId = c.req.header('cf-ray') ?? crypto.randomUUID();
  const path = new URL(c.req.url).pathname;
  console.error(`${requestId} ${c.req.method} ${path}: ${error.stack ?? describeError(error)}`);
  return problem(
    c,
    500,
    'Internal Server Error',
    `Something went wrong on our side. It has been logged as ${requestId}.`,
  );
});

export default app;
