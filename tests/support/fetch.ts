import { exports } from 'cloudflare:workers';

export const ORIGIN = 'http://kvpress.test';
export const SLUG = 'trump-seeks-to-renew-relations-with-putins-russia';
export const ARTICLE_PATH = `/articles/${SLUG}`;

/** Sends a request through the worker's real fetch handler (same isolate, real local KV). */
export function fetchWorker(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(ORIGIN + path, init));
}

/** Text a reader sees in an HTML document: tags dropped, the entities our renderer emits decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t\r\n]+/g, ' ');
}
