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
import { evaluateConditions } from '../../http/conditional';
import { NOT_IN_304 } from '../../http/security-headers';
import { MemoryCache } from './memory-cache';

/** Marks a response made from a fresh (not stale) version: `<version>`. Never leaves the worker. */
export const FAST_PATH_VERSION_HEADER = 'x-kvpress-fast-path-version';

interface FastEntry {
  version: string;
  headers: Headers;
  /** The same headers for a 304 (§15.4.5: no content metadata). */
  notModifiedHeaders: Headers;
  etag: string;
  body: Uint8Array<ArrayBuffer>;
}

/**
 * Request headers that change the answer or its conditions: any of them, and the fast path is
 * off. If-None-Match alone is answered here (it is what revalidating clients send).
 */
const VARYING = [
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
    const url = request.url;
    // The path starts at the first "/" after "scheme://": no URL parse on the hot path.
    if (url.startsWith('/api/', url.indexOf('/', url.indexOf('//') + 2))) return undefined;
    return `${url}\n${request.headers.get('Accept') ?? ''}`;
  }

  /**
   * The replayed answer for `key` if it was made from `version`: a 304 when `ifNoneMatch`
   * matches its ETag (weak comparison, lists and `*`, as the full pipeline), else the 200.
   */
  answer(key: string, version: string, ifNoneMatch: string | null): Response | undefined {
    const entry = this.#entries.get(key);
    if (!entry || entry.version !== version) return undefined;
    if (ifNoneMatch !== null) {
      const outcome = evaluateConditions({ method: 'GET', ifNoneMatch }, { etag: entry.etag });
      if (outcome === 'not-modified') {
        return new Response(null, { status: 304, headers: entry.notModifiedHeaders });
      }
    }
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
    if (
      key === undefined ||
      this.#entries.maxBytes === 0 ||
      response.status !== 200 ||
      response.headers.has('set-cookie')
    ) {
      return response;
    }
    const body = new Uint8Array(await response.arrayBuffer());
    // A 200 to a request that carried If-None-Match is still the full answer: remember it too.
    const headers = new Headers(response.headers);
    headers.set('Cache-Status', 'kvpress; hit; detail=memory');
    headers.delete('Server-Timing');
    const notModifiedHeaders = new Headers(headers);
    for (const name of NOT_IN_304) notModifiedHeaders.delete(name);
    const etag = headers.get('ETag');
    if (etag === null)
      return new Response(body, { status: response.status, headers: response.headers });
    let weight = body.byteLength;
    headers.forEach((value, name) => {
      weight += name.length + value.length;
    });
    this.#entries.set(key, { version, headers, notModifiedHeaders, etag, body }, weight);
    return new Response(body, { status: response.status, headers: response.headers });
  }
}
