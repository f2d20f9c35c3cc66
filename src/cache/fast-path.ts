/**
 * The hot path for repeat requests: a finished response, headers and all, replayed for the same
 * URL and the same raw `Accept` while the isolate's published version is fresh. It skips routing,
 * negotiation and every middleware, which is where a warm request spends most of its time.
 *
 * Safe because it only ever replays what the full pipeline produced for that exact request shape
 * (method GET, that URL, that Accept, no validators, Origin or Authorization), only for the
 * version it was made from, and only while that version is the one this isolate would serve.
 * It maps raw Accept strings to finished answers inside one isolate; the shared caches stay keyed
 * by representation.
 */
import { MemoryCache } from './memory-cache';

/** Marks a response made from a fresh (not stale) version: `<version>`. Never leaves the worker. */
export const FAST_PATH_VERSION_HEADER = 'x-kvpress-fast-path-version';

interface FastEntry {
  version: string;
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
}

/** Request headers that change the answer or its conditions: any of them, and the fast path is off. */
const VARYING = [
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
  'origin',
  'authorization',
  'range',
];

export class FastPath {
  readonly #entries: MemoryCache<FastEntry>;

  constructor(maxBytes: number) {
    this.#entries = new MemoryCache(maxBytes);
  }

  /** The memo key of a request, or undefined when it must take the full path. */
  static keyOf(request: Request): string | undefined {
    if (request.method !== 'GET') return undefined;
    for (const name of VARYING) if (request.headers.has(name)) return undefined;
    if (new URL(request.url).pathname.startsWith('/api/')) return undefined;
    return `${request.url}\n${request.headers.get('Accept') ?? ''}`;
  }

  /** The replayed answer for `key` if it was made from `version`. */
  answer(key: string, version: string): Response | undefined {
    const entry = this.#entries.get(key);
    if (!entry || entry.version !== version) return undefined;
    return new Response(entry.body, { status: 200, headers: entry.headers });
  }

  /**
   * Takes the full pipeline's response: remembers it when it is a 200 made from a fresh version,
   * and always removes the internal marker before it leaves.
   */
  async record(key: string | undefined, response: Response): Promise<Response> {
    const version = response.headers.get(FAST_PATH_VERSION_HEADER);
    if (version === null) return response;
    response.headers.delete(FAST_PATH_VERSION_HEADER);
    if (key === undefined || response.status !== 200 || response.headers.has('set-cookie')) {
      return response;
    }
    const body = new Uint8Array(await response.arrayBuffer());
    const headers = new Headers(response.headers);
    headers.set('Cache-Status', 'kvpress; hit; detail=memory');
    headers.delete('Server-Timing');
    let weight = body.byteLength;
    headers.forEach((value, name) => {
      weight += name.length + value.length;
    });
    this.#entries.set(key, { version, headers, body }, weight);
    return new Response(body, { status: response.status, headers: response.headers });
  }
}
