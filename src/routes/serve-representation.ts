/**
 * The one way a route answers with a representation:
 *   published version → cached copy (memory, then Cache API) → else KV → validators (304/412
 *   without rendering) → render → store in both tiers → answer.
 * Every answer carries Cache-Status (RFC 9211) and Server-Timing; HEAD keeps Content-Length.
 */
import type { Context } from 'hono';
import { StoreUnavailable } from '../articles/store';
import type { PublishedSite } from '../cache/published-site';
import type { StoredResponse } from '../cache/response-cache';
import type { AppEnv } from '../env';
import { representationCacheControl } from '../http/cache-policy';
import {
  evaluateConditions,
  formatHttpDate,
  parseHttpDate,
  type Validators,
} from '../http/conditional';
import { settingsFingerprint } from '../http/etag';
import { ServerTiming } from '../http/server-timing';
import { siteOrigin } from '../http/site-url';
import { RENDER_VERSION } from '../views/render-version';
import { respondWithError } from './errors';

export interface Loaded {
  validators: Validators;
  render: () => string | Promise<string>;
}

export interface RepresentationSource {
  /** The published version the body is made from: part of the cache key. */
  version: string;
  /** The URL path this representation belongs to (canonical or variant). */
  path: string;
  /** The representation's name: part of every cache key. */
  representation: string;
  contentType: string;
  /** Headers of the 200 and the 304 alike: Vary, Content-Location, Link, Cache-Tag… */
  headers: Record<string, string>;
  /** Reads what the body is made from (may throw StoreUnavailable). */
  load: () => Promise<Loaded>;
}

const encoder = new TextEncoder();
const CACHE = 'kvpress';

/**
 * What is published, as this isolate knows it (memoised; stale when KV fails).
 * @throws StoreUnavailable when KV fails and nothing was ever read: onError answers 503.
 */
export async function currentSite(c: Context<AppEnv>): Promise<PublishedSite> {
  const { published, store, config } = c.var;
  return (await published.current(store, config.versionMemoryTtl * 1000)).site;
}

export async function serveRepresentation(c: Context<AppEnv>, source: RepresentationSource) {
  const { config, cache } = c.var;
  const timing = new ServerTiming();
  const slot = `${source.path}|${source.representation}`;
  const origin = siteOrigin(c);
  const { version } = source;

  // The key changes with the content (version), the templates and the settings shown in bodies.
  const fingerprint = settingsFingerprint(`${config.siteName}|${origin}`);
  const key = `${origin}${source.path}?kvpress=${source.representation}.${version}.${RENDER_VERSION}.${fingerprint}`;

  const hit = await timing.measure('cache', () => cache.lookup(key));
  if (hit) return answer(c, hit.stored, `${CACHE}; hit; detail=${hit.tier}`, timing);

  let loaded: Loaded;
  try {
    loaded = await timing.measure('kv', source.load);
  } catch (error) {
    if (error instanceof StoreUnavailable) return serveStale(c, slot, timing, error);
    throw error;
  }

  const { etag, lastModified } = loaded.validators;
  const headers: Record<string, string> = { ...source.headers, ETag: etag };
  if (lastModified) headers['Last-Modified'] = formatHttpDate(lastModified);
  const outcome = evaluateConditions(conditionalHeaders(c), loaded.validators);
  if (outcome !== 'proceed') {
    // Answered from the validators alone: nothing rendered, nothing stored.
    return conditionalAnswer(c, outcome, headers, `${CACHE}; fwd=miss`, timing);
  }

  const body = encoder.encode(
    await timing.measure('render', loaded.render),
  ) as Uint8Array<ArrayBuffer>;
  headers['Content-Type'] = source.contentType;
  headers['Content-Length'] = String(body.byteLength);
  const stored: StoredResponse = {
    body,
    headers: Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v]),
  };
  const kept = cache.store(key, slot, stored, (promise) => waitUntil(c, promise));
  return answer(c, stored, `${CACHE}; fwd=miss${kept ? '; stored' : ''}`, timing);
}

/** KV is down: the newest copy we hold for this URL and representation, else 503. */
async function serveStale(c: Context<AppEnv>, slot: string, timing: ServerTiming, error: unknown) {
  console.error(
    `${c.req.method} ${new URL(c.req.url).pathname}: ${error instanceof Error ? error.message : String(error)}`,
  );
  const stale = await c.var.cache.lookupStale(slot);
  if (stale)
    return answer(
      c,
      stale.stored,
      `${CACHE}; hit; detail="stale ${stale.tier}, store unavailable"`,
      timing,
    );
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

/** Sends a stored (or just rendered) response, honouring the request's preconditions. */
function answer(
  c: Context<AppEnv>,
  stored: StoredResponse,
  cacheStatus: string,
  timing: ServerTiming,
) {
  const headers: Record<string, string> = Object.fromEntries(stored.headers);
  const etag = headers.etag ?? '';
  const lastModifiedMs = headers['last-modified']
    ? parseHttpDate(headers['last-modified'])
    : undefined;
  const outcome = evaluateConditions(conditionalHeaders(c), {
    etag,
    ...(lastModifiedMs === undefined ? {} : { lastModified: new Date(lastModifiedMs) }),
  });
  if (outcome !== 'proceed') return conditionalAnswer(c, outcome, headers, cacheStatus, timing);
  return c.body(stored.body, 200, {
    ...headers,
    'Cache-Control': representationCacheControl(c.var.config),
    'Cache-Status': cacheStatus,
    'Server-Timing': timing.toString(),
  });
}

// §15.4.5: a 304 carries what a 200 would for caches to update, and no content metadata.
const NOT_IN_304 = new Set(['content-type', 'content-length', 'link']);

function conditionalAnswer(
  c: Context<AppEnv>,
  outcome: 'not-modified' | 'precondition-failed',
  headers: Record<string, string>,
  cacheStatus: string,
  timing: ServerTiming,
) {
  if (outcome === 'precondition-failed') {
    return respondWithError(c, {
      status: 412,
      title: 'Precondition Failed',
      detail: 'The representation has changed since the validator you sent.',
    });
  }
  const kept = Object.entries(headers).filter(([name]) => !NOT_IN_304.has(name.toLowerCase()));
  return c.body(null, 304, {
    ...Object.fromEntries(kept),
    'Cache-Control': representationCacheControl(c.var.config),
    'Cache-Status': cacheStatus,
    'Server-Timing': timing.toString(),
  });
}

function conditionalHeaders(c: Context<AppEnv>) {
  return {
    method: c.req.method,
    ifMatch: c.req.header('If-Match'),
    ifNoneMatch: c.req.header('If-None-Match'),
    ifModifiedSince: c.req.header('If-Modified-Since'),
    ifUnmodifiedSince: c.req.header('If-Unmodified-Since'),
  };
}

/** Hands background work to the runtime; without an execution context (tests) it just runs. */
function waitUntil(c: Context<AppEnv>, promise: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(promise);
  } catch {
    // app.request() without an ExecutionContext: the promise runs on and logs its own failure.
  }
}
