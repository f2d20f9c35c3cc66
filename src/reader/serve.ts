/**
 * The one way a route answers with a representation:
 *   cached copy (memory, then Cache API) → else preconditions on the validators the route
 *   already has (304/412 without reading KV) → KV + render → store in both tiers → answer. KV down: the newest copy held, else 503.
 * Every answer carries Cache-Status (RFC 9211) and Server-Timing; HEAD keeps Content-Length.
 */
import type { Context } from 'hono';
import { StoreUnavailable } from '../articles/store';
import { describeError } from '../describe-error';
import { representationCacheControl } from '../http/cache-policy';
import {
  evaluateConditions,
  formatHttpDate,
  parseHttpDate,
  type Validators,
} from '../http/conditional';
import { entityTag } from '../http/etag';
import { NOT_IN_304 } from '../http/security-headers';
import { ServerTiming } from '../http/server-timing';
import type { StoredResponse } from './cache/body-store';
import { cacheKeys } from './cache/cache-key';
import type { AppEnv } from './env';
import type { PublishedSite } from './freshness';
import { preconditionFailed, storeUnavailable } from './routes/errors';
import { bodySettings } from './site-url';

export interface RepresentationSource {
  /** The published site the body is made from (its version is part of the cache key). */
  site: { version: string; stale: boolean };
  /** Path (and query) of the URL this representation belongs to. */
  path: string;
  /** The representation's name: part of every cache key. */
  representation: string;
  contentType: string;
  /** Headers of the 200 and the 304 alike: Vary, Content-Location, Link, Cache-Tag… */
  headers: Record<string, string>;
  /**
   * Known without reading the body, from the index: the hash the body is made from (a record's,
   * or the site version) and its date. The entity tag is built from it here, once per request.
   */
  published: { hash: string; lastModified?: Date };
  /** Reads what the body needs and renders it, timing each step (may throw StoreUnavailable). */
  body: (timing: ServerTiming) => Promise<string>;
}

const encoder = new TextEncoder();

const CACHE = 'kvpress';

/**
 * What is published, as this isolate knows it (freshness.ts; stale while every source fails).
 * @throws StoreUnavailable when KV fails and nothing was ever read: onError answers 503.
 */
export async function currentSite(c: Context<AppEnv>): Promise<PublishedSite & { stale: boolean }> {
  const { freshness, versions, timing } = c.var;
  const { site, stale } = await freshness.current(versions, timing);
  return { ...site, stale };
}

export async function serveRepresentation(c: Context<AppEnv>, source: RepresentationSource) {
  const { bodies } = c.var;
  const timing = new ServerTiming();
  const settings = bodySettings(c);
  const { key, slot } = cacheKeys({
    requestOrigin: new URL(c.req.url).origin,
    path: source.path,
    representation: source.representation,
    version: source.site.version,
    settings,
  });
  const { hash, lastModified } = source.published;
  const validators: Validators = {
    etag: entityTag(hash, source.representation, settings),
    ...(lastModified ? { lastModified } : {}),
  };

  // A 200 made from a fresh (not stale) version may be replayed to a repeat of this request
  // (cache/replay.ts): the app's outermost middleware makes the alias from the final answer.
  const made = source.site.stale ? undefined : { key, version: source.site.version };
  const hit = await timing.measure('cache', () => bodies.lookup(key));
  if (hit) {
    // While KV fails, the site (and so this copy) may be older than the latest publish.
    const status = source.site.stale
      ? `${CACHE}; fwd=stale; detail="store unavailable"`
      : `${CACHE}; hit; detail=${hit.tier}`;
    return answer(c, hit.stored, status, timing, made);
  }

  const headers: Record<string, string> = { ...source.headers, ETag: validators.etag };
  if (lastModified) headers['Last-Modified'] = formatHttpDate(lastModified);
  const outcome = evaluateConditions(conditionalHeaders(c), validators);
  if (outcome === 'precondition-failed') return preconditionFailed(c);
  if (outcome === 'not-modified') {
    // Answered from the validators alone: no KV read, nothing rendered, nothing stored.
    return notModified(c, headers, `${CACHE}; fwd=miss`, timing);
  }

  let stored: StoredResponse;
  try {
    // Concurrent misses each render: sharing one in-flight promise across requests can hang in
    // workerd (I/O is bound to the request that started it).
    const body = encoder.encode(await source.body(timing));
    headers['Content-Type'] = source.contentType;
    headers['Content-Length'] = String(body.byteLength);
    stored = {
      body: body as Uint8Array<ArrayBuffer>,
      headers: Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
    };
  } catch (error) {
    if (!(error instanceof StoreUnavailable)) throw error;
    console.error(`${c.req.method} ${new URL(c.req.url).pathname}: ${describeError(error)}`);
    const stale = await bodies.lookupStale(slot);
    if (!stale) return storeUnavailable(c);
    return answer(c, stale.stored, `${CACHE}; fwd=stale; detail="store unavailable"`, timing);
  }
  const kept = bodies.store(key, slot, stored, (promise) => c.executionCtx.waitUntil(promise));
  return answer(c, stored, `${CACHE}; fwd=miss${kept ? '; stored' : ''}`, timing, made);
}

/** Sends a stored (or just rendered) response, honouring the request's preconditions. */
function answer(
  c: Context<AppEnv>,
  stored: StoredResponse,
  cacheStatus: string,
  timing: ServerTiming,
  made?: { key: string; version: string },
) {
  const headers: Record<string, string> = Object.fromEntries(stored.headers);
  const lastModifiedMs = headers['last-modified']
    ? parseHttpDate(headers['last-modified'])
    : undefined;
  const outcome = evaluateConditions(conditionalHeaders(c), {
    etag: headers.etag ?? '',
    ...(lastModifiedMs === undefined ? {} : { lastModified: new Date(lastModifiedMs) }),
  });
  if (outcome === 'precondition-failed') return preconditionFailed(c);
  if (outcome === 'not-modified') return notModified(c, headers, cacheStatus, timing);
  if (made) c.set('made', made);
  return c.body(stored.body, 200, {
    ...headers,
    'Cache-Control': representationCacheControl(c.var.config),
    'Cache-Status': cacheStatus,
    'Server-Timing': timing.toString(),
  });
}

/** §15.4.5: a 304 carries what a 200 would for caches to update, without NOT_IN_304. */
function notModified(
  c: Context<AppEnv>,
  headers: Record<string, string>,
  cacheStatus: string,
  timing: ServerTiming,
) {
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
