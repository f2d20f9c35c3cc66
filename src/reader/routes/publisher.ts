/**
 * /api and everything under it, /admin (signing in, the newsroom), the private previews (/preview: a form, and the page it posts
 * for), and the actor's
 * followers and inboxes (/actor/followers, /actor/inbox, /inbox: the publisher's Durable Object
 * holds the followers) belong to the publisher Worker: the reader forwards the request
 * untouched over the PUBLISHER service binding, so the site keeps one origin and the reader
 * carries no publishing code. Without the binding (a reader deployed alone) the API is absent.
 */
import { PROBLEM_JSON, problemBody } from '../../http/problem';

/** True for `/api`, `/api/…` (not `/apiary`), `/admin…`, `/preview` and the federation's write side. */
export function isApiPath(url: string): boolean {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const path = start === -1 ? '/' : url.slice(start);
  return (
    path === '/api' ||
    path.startsWith('/api/') ||
    path.startsWith('/api?') ||
    path === '/admin' ||
    path.startsWith('/admin/') ||
    PUBLISHER_PATHS.has(path.split('?')[0] ?? '')
  );
}

const PUBLISHER_PATHS = new Set([
  '/preview',
  '/actor/followers',
  '/actor/inbox',
  '/actor/icon.png',
  '/inbox',
]);

export function forwardToPublisher(request: Request, env: Env): Promise<Response> | Response {
  const publisher = (env as { PUBLISHER?: Fetcher }).PUBLISHER;
  if (publisher) return publisher.fetch(request);
  return new Response(
    problemBody({ title: 'Not Found', status: 404, detail: 'Nothing is published at this path.' }),
    { status: 404, headers: { 'Content-Type': PROBLEM_JSON, 'Cache-Control': 'no-store' } },
  );
}
