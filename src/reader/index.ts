/**
 * The reader Worker: assembly only. Routes live in routes/, HTTP rules in src/http, the one
 * cache in cache/ (a body store, and aliases that let a repeat request skip Hono), the
 * freshness bound in freshness.ts. `createApp` takes the store and the Cache API as
 * dependencies so tests can make them fail; the default export uses KV and `caches.default`.
 */

import { cors } from 'hono/cors';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { Hono } from 'hono/tiny';
import { reportOnce } from '../articles/settings';
import { type ArticleStore, createKvStore, StoreError, StoreUnavailable } from '../articles/store';
import { securityHeaders } from '../http/security-headers';
import { BodyStore } from './cache/body-store';
import { aliasOf } from './cache/replay';
import { type Config, readReaderSettings } from './config';
import type { AppEnv } from './env';
import { Freshness, type FreshnessTiming } from './freshness';
import { articles } from './routes/articles';
import {
  methodNotAllowedAnswer,
  notFound,
  respondWithError,
  storeUnavailable,
} from './routes/errors';
import { federation } from './routes/federation';
import { feeds } from './routes/feeds';
import { icons } from './routes/icons';
import { lists } from './routes/lists';
import { forwardToPublisher, isApiPath } from './routes/publisher';
import type { VersionSources } from './version-source';

export interface AppDependencies {
  /** Where articles are read from. Default: the ARTICLES KV namespace. */
  store?: (env: Env, config: Config) => ArticleStore;
  /** The Cache API cache. Default: `caches.default`; return undefined to skip the tier. */
  edgeCache?: () => Cache | undefined;
}

/** The Cloudflare location that runs this request (`cf.colo`; none locally). */
const coloOf = (request: Request): string | undefined =>
  (request as { cf?: { colo?: unknown } }).cf?.colo as string | undefined;

const kvStore = (env: Env, config: Config): ArticleStore =>
  createKvStore(env.ARTICLES, {
    cacheTtl: config.kvCacheTtl,
    versionCacheTtl: config.versionKvCacheTtl,
    deadlineMs: config.kvDeadlineMs,
  });

/** @example export default createApp({ edgeCache: () => undefined }) */
export function createApp(dependencies: AppDependencies = {}) {
  const store = dependencies.store ?? kvStore;
  const edgeCache = dependencies.edgeCache ?? (() => caches.default);
  // Per isolate: these outlive requests, which is the point of them.
  const freshness = new Freshness();
  let bodies: BodyStore | undefined;
  // One store per bindings object, not one per request.
  const stores = new WeakMap<object, ArticleStore>();
  const storeOf = (env: Env, config: Config): ArticleStore => {
    let articleStore = stores.get(env);
    if (!articleStore) {
      articleStore = store(env, config);
      stores.set(env, articleStore);
    }
    return articleStore;
  };
  /** Where this request may learn the current version (version-source.ts). */
  const versionSources = (
    env: Env,
    config: Config,
    ctx: { waitUntil(work: Promise<unknown>): void } | undefined,
    colo?: string,
  ): VersionSources => {
    const publisher = (env as { PUBLISHER?: Fetcher }).PUBLISHER;
    return {
      store: storeOf(env, config),
      ...(publisher ? { publisher } : {}),
      ...(config.edgeCache ? { location: edgeCache } : {}),
      refreshMs: config.versionRefreshMs,
      deadlineMs: config.publisherDeadlineMs,
      ...(colo ? { colo } : {}),
      ...(ctx ? { waitUntil: (work: Promise<unknown>) => ctx.waitUntil(work) } : {}),
    };
  };
  const timingOf = (config: Config): FreshnessTiming => ({
    refreshMs: config.versionRefreshMs,
    maxAgeMs: config.versionMaxAgeMs,
  });

  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const settings = readReaderSettings(c.env);
    // Bad settings: nothing is set up; the guard after the security headers answers 503.
    if (!settings.ok) return next();
    const config = settings.config;
    bodies ??= new BodyStore({
      memoryBytes: config.memoryCacheBytes,
      edge: () => (config.edgeCache ? edgeCache() : undefined),
      edgeTtl: config.edgeCacheTtl,
    });
    c.set('config', config);
    c.set('store', storeOf(c.env, config));
    let ctx: { waitUntil(work: Promise<unknown>): void } | undefined;
    try {
      ctx = c.executionCtx;
    } catch {
      // no ExecutionContext (a bare app.request): nothing runs after the answer
    }
    c.set('versions', versionSources(c.env, config, ctx, coloOf(c.req.raw)));
    c.set('timing', timingOf(config));
    c.set('bodies', bodies);
    c.set('freshness', freshness);
    await next();
    // The final answer (every middleware has run): a repeat of this request may replay it.
    const made = c.get('made');
    const alias = made && c.res.status === 200 ? aliasOf(c.req.raw) : undefined;
    if (made && alias !== undefined)
      bodies.alias(alias, { ...made, config, headers: c.res.headers });
  });
  app.use(securityHeaders);
  // The settings, parsed once (config.ts): a bad one answers every request 503, naming it.
  const misconfigured = reportOnce();
  app.use(async (c, next) => {
    const settings = readReaderSettings(c.env);
    if (settings.ok) return next();
    const what = misconfigured(c.env, settings.problems);
    return respondWithError(c, {
      status: 503,
      title: 'Service Unavailable',
      detail: `The site is misconfigured: ${what}.`,
    });
  });
  // Reading is public: any origin's script may fetch any representation and see its validators.
  // A plain OPTIONS (no Access-Control-Request-Method) is not a preflight: it gets Allow below.
  const publicCors = cors({
    origin: '*',
    allowMethods: ['GET', 'HEAD', 'OPTIONS'],
    exposeHeaders: ['ETag', 'Last-Modified', 'Link', 'Content-Location', 'Cache-Status'],
    maxAge: 86_400,
  });
  app.use((c, next) =>
    c.req.method === 'OPTIONS' && !c.req.header('Access-Control-Request-Method')
      ? next()
      : publicCors(c, next),
  );
  // Turns a 404 on a known path with another method into 405 + Allow (RFC 9110 §15.5.6).
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => {
        // Hono copies the 404's headers onto the answer: its Cache-Control must not become the 405's.
        c.res.headers.delete('Cache-Control');
        return methodNotAllowedAnswer(c, methods);
      },
    }),
  );

  // `/tags/x/` is `/tags/x` (hono/tiny's router would match both): one URL each, so no cache
  // or alias ever holds the same answer under two names, and a `?page` is never lost on the way.
  app.use('*', async (c, next) => {
    const path = c.req.path;
    if (
      path.length > 1 &&
      path.endsWith('/') &&
      (c.req.method === 'GET' || c.req.method === 'HEAD')
    ) {
      const url = new URL(c.req.url);
      return c.redirect(
        `${url.origin}${url.pathname.replace(/\/+$/, '') || '/'}${url.search}`,
        301,
      );
    }
    return next();
  });

  app.route('/', lists);
  app.route('/', icons);
  app.route('/', federation);
  app.route('/articles', articles);
  app.route('/', feeds);

  // OPTIONS answers what the resource allows, without reading anything (RFC 9110 §9.3.7).
  const readable = [
    '/',
    '/articles/:file',
    '/articles/:file/',
    '/feed.xml',
    '/feed.json',
    '/sitemap.xml',
    '/robots.txt',
    '/favicon.svg',
    '/.well-known/webfinger',
    '/.well-known/host-meta',
    '/.well-known/nodeinfo',
    '/nodeinfo/2.1',
    '/actor',
    '/actor/outbox',
    '/favicon.ico',
    '/:kind{sections|tags|authors}/:slug',
    '/:kind{sections|tags|authors}/:slug/:feed{feed\\.xml|feed\\.json}',
  ];
  app.on('OPTIONS', readable, (c) => c.body(null, 204, { Allow: 'GET, HEAD, OPTIONS' }));

  app.notFound(notFound);

  app.onError((error, c) => {
    // Logged with context for the operator; the client gets a plain answer, never a stack trace.
    const where = `${c.req.method} ${new URL(c.req.url).pathname}`;
    // Store failures are expected operations events (one line); anything else is a bug (stack).
    const known = error instanceof StoreError || error instanceof StoreUnavailable;
    console.error(`${where}: ${known ? error.message : (error.stack ?? error)}`);
    if (error instanceof StoreUnavailable) return storeUnavailable(c);
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

  // A repeat request is answered from its alias when it has one; otherwise Hono makes the answer.
  const pipeline = app.fetch;
  app.fetch = async (request, env, executionCtx) => {
    const bindings = (env ?? {}) as Env;
    // The publishing API is the publisher Worker's: forwarded whole over the service binding,
    // before any of the reader's middleware (no public CORS, no caching, no reader headers).
    if (isApiPath(request.url)) return forwardToPublisher(request, bindings);
    const alias = bodies && aliasOf(request);
    const settings = readReaderSettings(bindings);
    if (bodies && alias !== undefined && settings.ok) {
      const { config } = settings;
      const version = freshness.freshVersion(config.versionMaxAgeMs);
      // A busy isolate learns of a publish without any request waiting for it.
      // (Sources are made only when a refresh is due: not on every replay.)
      if (version !== undefined && freshness.freshVersion(config.versionRefreshMs) === undefined)
        freshness.refreshInBackground(
          versionSources(bindings, config, executionCtx, coloOf(request)),
          timingOf(config),
        );
      const replayed =
        version === undefined
          ? undefined
          : bodies.replay(alias, version, settings.config, request.headers.get('If-None-Match'));
      if (replayed) return replayed;
    }
    return pipeline(request, env, executionCtx);
  };

  // What the cache holds in this isolate: for the test of the memory bound.
  return Object.assign(app, { bodyStore: () => bodies });
}

export default createApp();
