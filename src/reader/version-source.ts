/**
 * Where an isolate learns which version is current (docs/caching.md, "The freshness bound"):
 * 1. this location's copy in the Cache API, when another isolate here learned it less than the
 *    refresh interval ago (the Cache API does not coalesce: isolates that miss together each ask);
 * 2. else the publisher, the truth: the newest version whose every key is in KV, over the
 *    service binding, within a deadline; its answer is shared with the location (1);
 * 3. else (no binding, a deadline missed, an error, a publisher that never committed) the KV
 *    pointer, and the old bound holds: its cacheTtl plus KV's propagation.
 * Hand-written: no library decides between these three; each step is a few lines.
 */

import * as v from 'valibot';
import { CURRENT_VERSION_PATH } from '../articles/keys';
import { CurrentVersionSchema } from '../articles/schema';
import type { ArticleStore } from '../articles/store';
import { describeError } from '../describe-error';

/** A version as an isolate learned it. */
export interface KnownVersion {
  /** The index hash, or null before the first publish. */
  version: string | null;
  /** The commit that made it: an isolate never goes back to a lower one. */
  seq: number;
  /** When it was known to be current (ms, this location's clock: when it was asked for). */
  at: number;
  via: 'location' | 'publisher' | 'kv';
}

export interface VersionSources {
  /** The publisher Worker (service binding); absent for a reader deployed alone. */
  publisher?: Fetcher;
  /** This location's cache (the Cache API), unless EDGE_CACHE is off. */
  location?: () => Cache | undefined;
  store: ArticleStore;
  /** A location's copy younger than this is used as it is (ms). */
  refreshMs: number;
  /** How long a request waits for the publisher before it reads the KV pointer (ms). */
  deadlineMs: number;
  /** This location's name (the request's `cf.colo`), for the publisher's gauge (GET /api/status). */
  colo?: string;
  /** Keeps a write to the location's cache alive after the answer (ExecutionContext.waitUntil). */
  waitUntil?: (work: Promise<unknown>) => void;
}

/** The location's copy: a URL no request can name (the Cache API keys by URL). */
const LOCATION_KEY = 'https://kvpress.invalid/_kvpress/version';

const LocationCopy = v.object({
  version: v.nullable(v.string()),
  seq: v.number(),
  at: v.number(),
});

/** One line per failure kind and minute: an outage does not flood the log. */
let lastLogged = 0;
function report(message: string, now: number): void {
  if (now - lastLogged < 60_000) return;
  lastLogged = now;
  console.error(`version source: ${message}`);
}

/**
 * This isolate's name for the publisher's gauge: random, made on first use (Workers allow no
 * random values at global scope).
 */
let isolateId: string | undefined;

/** Asks the publisher, bounded by `deadlineMs`; undefined when it cannot say in time. */
async function askPublisher(
  publisher: Fetcher,
  deadlineMs: number,
  now: number,
  colo = 'unknown',
): Promise<KnownVersion | undefined> {
  isolateId ??= crypto.randomUUID().slice(0, 8);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(undefined);
    }, deadlineMs);
  });
  const answer = (async () => {
    const res = await publisher.fetch(`https://publisher${CURRENT_VERSION_PATH}`, {
      signal: controller.signal,
      headers: { 'Kvpress-Location': colo, 'Kvpress-Isolate': isolateId ?? 'unknown' },
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`the publisher answered ${res.status}`);
    }
    const parsed = v.safeParse(CurrentVersionSchema, await res.json());
    if (!parsed.success) throw new Error(`the publisher's answer: ${v.summarize(parsed.issues)}`);
    return { ...parsed.output, at: now, via: 'publisher' as const };
  })();
  try {
    const known = await Promise.race([answer, deadline]);
    if (!known) report(`the publisher did not answer within ${deadlineMs} ms`, now);
    return known;
  } catch (error) {
    report(describeError(error), now);
    return undefined;
  } finally {
    clearTimeout(timer);
    answer.catch(() => undefined);
  }
}

async function readLocation(cache: Cache, now: number, refreshMs: number) {
  try {
    const hit = await cache.match(LOCATION_KEY);
    if (!hit) return undefined;
    const parsed = v.safeParse(LocationCopy, await hit.json());
    if (!parsed.success || now - parsed.output.at >= refreshMs) return undefined;
    return { ...parsed.output, via: 'location' as const };
  } catch {
    return undefined; // a cache that fails is a cache that misses
  }
}

function shareWithLocation(sources: VersionSources, cache: Cache, known: KnownVersion): void {
  const body = JSON.stringify({ version: known.version, seq: known.seq, at: known.at });
  // Kept a little longer than any reader would use it; `at` decides, not the cache's lifetime.
  const seconds = Math.max(1, Math.ceil((sources.refreshMs * 4) / 1000));
  const put = cache
    .put(
      LOCATION_KEY,
      new Response(body, { headers: { 'Cache-Control': `public, max-age=${seconds}` } }),
    )
    .catch(() => undefined);
  if (sources.waitUntil) sources.waitUntil(put);
}

/** The current version, from the first of the three sources that can say. */
export async function learnVersion(
  sources: VersionSources,
  now = Date.now(),
): Promise<KnownVersion> {
  const cache = sources.location?.();
  if (cache) {
    const copy = await readLocation(cache, now, sources.refreshMs);
    if (copy) return copy;
  }
  if (sources.publisher) {
    const known = await askPublisher(sources.publisher, sources.deadlineMs, now, sources.colo);
    // seq 0: the publisher has committed nothing (KV was filled some other way): KV says.
    if (known && known.seq > 0) {
      if (cache) shareWithLocation(sources, cache, known);
      return known;
    }
  }
  const pointer = await sources.store.readVersion();
  return { version: pointer?.version ?? null, seq: pointer?.seq ?? 0, at: now, via: 'kv' };
}
