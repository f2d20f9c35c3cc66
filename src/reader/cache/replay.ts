/**
 * Which requests may be answered from an alias (body-store.ts) before Hono runs: a repeat of a
 * request shape the full pipeline already answered, skipping routing and negotiation.
 *
 * An alias is named by the request's URL (with only the query the route uses) and its raw
 * `Accept`; the body store checks the published version and the settings. That is safe only if
 * nothing else in the request can change the answer, so the request may carry nothing but the
 * headers below: `Accept`, `If-None-Match` (answered here, as the pipeline would) and headers of
 * transport and proxies that no route reads. Anything else (Cookie, Accept-Language, Origin,
 * Authorization, Range, other preconditions, a header added tomorrow) takes the full pipeline.
 */

/** Request headers an alias may be used with. An allow-list: what is not here is never replayed. */
export const REPLAYABLE_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'if-none-match',
  // HTTP transport (RFC 9110 §7.6.1 hop-by-hop, and the message's own framing and target).
  'host',
  'connection',
  'keep-alive',
  'te',
  'content-length',
  // Compression is the runtime's, not the routes'.
  'accept-encoding',
  // Request cache directives: the origin answers the same with or without them.
  'cache-control',
  'pragma',
  'user-agent',
  // What Cloudflare's edge and common proxies add (cf-connecting-ip, cf-ray, cf-visitor, …).
  'cdn-loop',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-real-ip',
  'true-client-ip',
]);

/**
 * The query parameter a route uses at `path`, if any: `page` on the lists (`/`, `/sections/x`,
 * `/tags/x`, `/authors/x`; routes/lists.tsx) and the outbox; `resource` on WebFinger (which makes
 * no alias anyway). Every other query parameter is ignored by the routes.
 */
const LIST_PATH = /^\/(?:(?:sections|tags|authors)\/[^/]+|actor\/outbox)?$/;
const queryUsed = (path: string): string | undefined => (LIST_PATH.test(path) ? 'page' : undefined);

/**
 * The alias name of a request, or undefined when it must take the full pipeline: only GET, only
 * allow-listed headers, never the API.
 * @example aliasOf(new Request('https://x/?page=2&utm_source=y')) // 'https://x/?page=2\n'
 */
export function aliasOf(request: Request): string | undefined {
  if (request.method !== 'GET') return undefined;
  for (const name of request.headers.keys()) {
    if (!REPLAYABLE_HEADERS.has(name) && !name.startsWith('cf-')) return undefined;
  }
  const url = request.url;
  // The path starts at the first "/" after "scheme://": no URL parse on the hot path.
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  if (url.startsWith('/api/', pathStart)) return undefined;
  const queryStart = url.indexOf('?', pathStart);
  let target = url;
  if (queryStart !== -1) {
    target = url.slice(0, queryStart);
    const used = queryUsed(url.slice(pathStart, queryStart));
    const value = used && new URLSearchParams(url.slice(queryStart + 1)).get(used);
    if (typeof value === 'string') target += `?${used}=${encodeURIComponent(value)}`;
  }
  return `${target}\n${request.headers.get('Accept') ?? ''}`;
}
