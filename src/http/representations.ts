/**
 * Every representation kvpress can send, in the server's order of preference (RFC 9110 §12.1:
 * ties in the client's q go to the first). Each has a media type for negotiation, the exact
 * Content-Type it is sent with, and the extension of its variant URL.
 */
export const REPRESENTATIONS = {
  html: {
    name: 'html',
    mediaType: 'text/html',
    contentType: 'text/html; charset=utf-8',
    extension: '.html',
  },
  json: {
    name: 'json',
    mediaType: 'application/json',
    contentType: 'application/json',
    extension: '.json',
  },
  markdown: {
    name: 'markdown',
    mediaType: 'text/markdown',
    contentType: 'text/markdown; charset=utf-8',
    extension: '.md',
  },
  jsonld: {
    name: 'jsonld',
    mediaType: 'application/ld+json',
    contentType: 'application/ld+json',
    extension: '.jsonld',
  },
  atom: {
    name: 'atom',
    mediaType: 'application/atom+xml',
    contentType: 'application/atom+xml; charset=utf-8',
    extension: '.xml',
  },
  jsonfeed: {
    name: 'jsonfeed',
    mediaType: 'application/feed+json',
    contentType: 'application/feed+json',
    extension: '.json',
  },
  sitemap: {
    name: 'sitemap',
    mediaType: 'application/xml',
    contentType: 'application/xml; charset=utf-8',
    extension: '.xml',
  },
  robots: {
    name: 'robots',
    mediaType: 'text/plain',
    contentType: 'text/plain; charset=utf-8',
    extension: '.txt',
  },
} as const;

export type RepresentationName = keyof typeof REPRESENTATIONS;
export type RepresentationSpec = (typeof REPRESENTATIONS)[RepresentationName];

/** What an article offers, best first. */
export const ARTICLE_REPRESENTATIONS = [
  REPRESENTATIONS.html,
  REPRESENTATIONS.json,
  REPRESENTATIONS.markdown,
  REPRESENTATIONS.jsonld,
] as const;

export type ArticleRepresentation = (typeof ARTICLE_REPRESENTATIONS)[number];

/** What the home page offers. */
export const HOME_REPRESENTATIONS = [REPRESENTATIONS.html, REPRESENTATIONS.json] as const;

/**
 * Splits an article path segment into slug and, for a variant URL, its fixed representation.
 * @example splitVariant('my-slug.json') // { slug: 'my-slug', fixed: REPRESENTATIONS.json }
 */
export function splitVariant(segment: string): { slug: string; fixed?: ArticleRepresentation } {
  const dot = segment.lastIndexOf('.');
  if (dot > 0) {
    const extension = segment.slice(dot);
    const fixed = ARTICLE_REPRESENTATIONS.find((r) => r.extension === extension);
    if (fixed) return { slug: segment.slice(0, dot), fixed };
  }
  return { slug: segment };
}
