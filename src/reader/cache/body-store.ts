/**
 * The reader's one cache: finished answers ("bodies"), in the isolate's memory in front of the
 * Workers Cache API, keyed by origin + path + representation + version + render version +
 * settings (cache-key.ts), never by the raw `Accept` or the URL alone (Cloudflare's and
 * Miniflare's caches ignore `Vary`).
 *
 * One byte-bounded LRU (MEMORY_CACHE_BYTES) holds everything the cache keeps in the isolate:
 * - bodies, with the headers of the representation;
 * - for each slot (a key without its version), the key of its newest body: for stale-if-error;
 * - aliases (replay.ts): a request's URL and raw `Accept` → the key of the body it got and the
 *   final headers it was sent with, so a repeat request skips routing and negotiation.
 * An alias holds no copy of any body: when its body is evicted, the alias is no use and the
 * request takes the full pipeline (which refills both).
 */
import { describeError } from '../../describe-error';
import { evaluateConditions } from '../../http/conditional';
import { NOT_IN_304 } from '../../http/security-headers';
import { MemoryCache } from './memory-cache';

/** A finished 200 response, as the tiers keep it. Cache-Control is added when it is served. */
export interface StoredResponse {
  body: Uint8Array<ArrayBuffer>;
  headers: [string, string][];
}

export type Tier = 'memory' | 'edge';

/** What an alias remembers of the answer a request got: where its body is, and how it was sent. */
export interface AliasTarget {
  /** The body's key in this store. */
  key: string;
  /** The published version it was made from: the alias is used only while it is current. */
  version: string;
  /** The settings object it was made under (one per bindings object). */
  config: object;
  /** The final headers of the 200, as the client received them. */
  headers: Headers;
}

interface Alias extends AliasTarget {
  etag: string;
  /** The same headers for a 304 (RFC 9110 §15.4.5: no content metadata). */
  notModifiedHeaders: Headers;
}

type Held =
  | { kind: 'body'; stored: StoredResponse }
  | { kind: 'newest'; key: string }
  | { kind: 'alias'; alias: Alias };

export interface BodyStoreOptions {
  memoryBytes: number;
  /** The Cache API cache, or undefined to skip that tier. Called per use: it may throw. */
  edge: () => Cache | undefined;
  /** Lifetime of a Cache API entry (s). */
  edgeTtl: number;
  log?: (message: string) => void;
}

// Headers a cache adds or that only describe one answer: never part of what is stored.
const NOT_STORED = new Set([
  'cache-control',
  'age',
  'cf-cache-status',
  'cache-status',
  'server-timing',
  'date',
]);

/** Counted for every entry on top of its strings and bytes: the map slot and the objects. */
export const ENTRY_OVERHEAD = 64;

// Names in the one LRU. Bodies are keyed by their URL-shaped key; the others by a prefix with a
// space, which no URL contains.
const NEWEST = 'newest ';
const ALIAS = 'alias ';

/**
 * @example const bodies = new BodyStore({ memoryBytes: 1 << 24, edge: () => caches.default, edgeTtl: 86400 })
 */
export class BodyStore {
  readonly #memory: MemoryCache<Held>;
  readonly #options: BodyStoreOptions;

  constructor(options: BodyStoreOptions) {
    this.#options = options;
    this.#memory = new MemoryCache(options.memoryBytes);
  }

  /** Bytes counted in memory, and the budget they never exceed. */
  get usage(): { bytes: number; maxBytes: number; entries: number } {
    return {
      bytes: this.#memory.bytes,
      maxBytes: this.#memory.maxBytes,
      entries: this.#memory.size,
    };
  }

  /** Everything held in memory, for tests that weigh it themselves. */
  held(): IterableIterator<[string, Held]> {
    return this.#memory.entries();
  }

  /** The copy stored under `key`, from the fastest tier that has it. Cache API failures are misses. */
  async lookup(key: string): Promise<{ stored: StoredResponse; tier: Tier } | undefined> {
    const inMemory = this.#body(key);
    if (inMemory) return { stored: inMemory, tier: 'memory' };
    const edge = this.#edge();
    if (!edge) return undefined;
    try {
      const response = await edge.match(key);
      if (!response) return undefined;
      const stored: StoredResponse = {
        body: new Uint8Array(await response.arrayBuffer()),
        headers: storableHeaders(response.headers),
      };
      this.#memory.set(key, { kind: 'body', stored }, weighStored(key, stored));
      return { stored, tier: 'edge' };
    } catch (error) {
      this.#log(`cache: match failed for ${key}: ${describeError(error)}`);
      return undefined;
    }
  }

  /** The newest copy stored for `slot`, whatever its version: for when KV is down. */
  async lookupStale(slot: string): Promise<{ stored: StoredResponse; tier: Tier } | undefined> {
    const newest = this.#memory.get(NEWEST + slot);
    return newest?.kind === 'newest' ? this.lookup(newest.key) : undefined;
  }

  /**
   * Keeps `stored` in memory now and in the Cache API through `waitUntil`, so the client
   * never waits for the write. Returns whether any tier took it (never one with Set-Cookie).
   */
  store(
    key: string,
    slot: string,
    stored: StoredResponse,
    waitUntil: (p: Promise<unknown>) => void,
  ): boolean {
    if (stored.headers.some(([name]) => name === 'set-cookie')) return false;
    const inMemory = this.#memory.set(key, { kind: 'body', stored }, weighStored(key, stored));
    this.#memory.set(
      NEWEST + slot,
      { kind: 'newest', key },
      ENTRY_OVERHEAD + NEWEST.length + slot.length + key.length,
    );
    const edge = this.#edge();
    if (!edge) return inMemory;
    const headers = new Headers(stored.headers);
    headers.set('Cache-Control', `public, max-age=${this.#options.edgeTtl}`);
    const put = edge
      .put(key, new Response(stored.body, { headers }))
      .catch((error: unknown) =>
        this.#log(`cache: put failed for ${key}: ${describeError(error)}`),
      );
    waitUntil(put);
    return true;
  }

  /**
   * Remembers that the request named `alias` got the body under `target.key`, sent with
   * `target.headers`. Only while that body is in memory: an alias never outlives its use.
   */
  alias(alias: string, target: AliasTarget): void {
    if (!this.#body(target.key) || target.headers.has('set-cookie')) return;
    const etag = target.headers.get('etag');
    if (etag === null) return;
    const headers = new Headers(target.headers);
    headers.set('Cache-Status', 'kvpress; hit; detail=memory');
    headers.delete('Server-Timing');
    const notModifiedHeaders = new Headers(headers);
    for (const name of NOT_IN_304) notModifiedHeaders.delete(name);
    let bytes = ENTRY_OVERHEAD + ALIAS.length + alias.length + target.key.length;
    for (const h of [headers, notModifiedHeaders]) bytes += weighHeaders(h);
    const entry: Alias = { ...target, headers, notModifiedHeaders, etag };
    this.#memory.set(ALIAS + alias, { kind: 'alias', alias: entry }, bytes);
  }

  /**
   * The answer the request named `alias` got, if it was made from `version` under `config` and
   * its body is still in memory: a 304 when `ifNoneMatch` matches its ETag (weak comparison,
   * lists and `*`, as the full pipeline), else the 200. Undefined: take the full pipeline.
   */
  replay(
    alias: string,
    version: string,
    config: object,
    ifNoneMatch: string | null,
  ): Response | undefined {
    const held = this.#memory.get(ALIAS + alias);
    if (held?.kind !== 'alias') return undefined;
    const entry = held.alias;
    if (entry.version !== version || entry.config !== config) return undefined;
    const body = this.#body(entry.key);
    if (!body) return undefined;
    if (
      ifNoneMatch !== null &&
      evaluateConditions({ method: 'GET', ifNoneMatch }, { etag: entry.etag }) === 'not-modified'
    ) {
      return new Response(null, { status: 304, headers: entry.notModifiedHeaders });
    }
    return new Response(body.body, { status: 200, headers: entry.headers });
  }

  #body(key: string): StoredResponse | undefined {
    const held = this.#memory.get(key);
    return held?.kind === 'body' ? held.stored : undefined;
  }

  #edge(): Cache | undefined {
    try {
      return this.#options.edge();
    } catch (error) {
      this.#log(`cache: Cache API unavailable: ${describeError(error)}`);
      return undefined;
    }
  }

  #log(message: string): void {
    (this.#options.log ?? console.error)(message);
  }
}

/** Headers worth keeping from a response: everything but what caches add or per-answer fields. */
export function storableHeaders(headers: Headers): [string, string][] {
  const kept: [string, string][] = [];
  headers.forEach((value, name) => {
    if (!NOT_STORED.has(name)) kept.push([name, value]);
  });
  return kept;
}

function weighStored(key: string, stored: StoredResponse): number {
  let bytes = ENTRY_OVERHEAD + key.length + stored.body.byteLength;
  for (const [name, value] of stored.headers) bytes += name.length + value.length;
  return bytes;
}

function weighHeaders(headers: Headers): number {
  let bytes = 0;
  headers.forEach((value, name) => {
    bytes += name.length + value.length;
  });
  return bytes;
}
