/**
 * The two response tiers in front of KV: the isolate's memory, then the Workers Cache API.
 * Keys name the URL path, the negotiated representation and the published version, never
 * the raw `Accept` header (browsers send dozens of variants) and never the URL alone
 * (Cloudflare's and Miniflare's caches ignore `Vary`).
 */
import { describeError } from '../../describe-error';
import { MemoryCache } from './memory-cache';

/** A finished 200 response, as the tiers keep it. Cache-Control is added when it is served. */
export interface StoredResponse {
  body: Uint8Array<ArrayBuffer>;
  headers: [string, string][];
}

export type Tier = 'memory' | 'edge';

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

/**
 * @example const cache = new BodyStore({ memoryBytes: 1 << 24, edge: () => caches.default, edgeTtl: 86400 })
 */
export class BodyStore {
  readonly memory: MemoryCache<StoredResponse>;
  /** slot (path + representation) → key of the newest stored copy, for stale-if-error. */
  readonly #latestKey = new Map<string, string>();
  readonly #options: BodyStoreOptions;

  constructor(options: BodyStoreOptions) {
    this.#options = options;
    this.memory = new MemoryCache(options.memoryBytes);
  }

  /** The copy stored under `key`, from the fastest tier that has it. Cache API failures are misses. */
  async lookup(key: string): Promise<{ stored: StoredResponse; tier: Tier } | undefined> {
    const inMemory = this.memory.get(key);
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
      this.memory.set(key, stored, weigh(stored));
      return { stored, tier: 'edge' };
    } catch (error) {
      this.#log(`cache: match failed for ${key}: ${describeError(error)}`);
      return undefined;
    }
  }

  /** The newest copy ever stored for `slot`, whatever its version: for when KV is down. */
  async lookupStale(slot: string): Promise<{ stored: StoredResponse; tier: Tier } | undefined> {
    const key = this.#latestKey.get(slot);
    return key === undefined ? undefined : this.lookup(key);
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
    const inMemory = this.memory.set(key, stored, weigh(stored));
    this.#latestKey.set(slot, key);
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

function weigh(stored: StoredResponse): number {
  let bytes = stored.body.byteLength;
  for (const [name, value] of stored.headers) bytes += name.length + value.length;
  return bytes;
}
