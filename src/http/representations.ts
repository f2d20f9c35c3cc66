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
  // ActivityStreams 2.0 (the fediverse: Mastodon asks for either media type). One body, two
  // labels: `application/ld+json` with the AS profile is this, without it the schema.org JSON-LD.
  activity: {
    name: 'activity',
    mediaType: 'application/activity+json',
    contentType: 'application/activity+json',
    extension: '.activity.json',
  },
  activityLd: {
    name: 'activity-ld',
    mediaType: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
    contentType: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
    extension: '.activity.json',
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

/**
 * What an article offers, best first. `application/activity+json` comes before the schema.org
 * JSON-LD, so a client that takes both equally (Fedify's loader sends `application/activity+json,
 * application/ld+json`) gets ActivityStreams; the schema.org JSON-LD comes before the AS2 profile
 * of its own type, so a plain `application/ld+json` gets it, and only the profile asks for AS2.
 */
export const ARTICLE_REPRESENTATIONS = [
  REPRESENTATIONS.html,
  REPRESENTATIONS.json,
  REPRESENTATIONS.markdown,
  REPRESENTATIONS.activity,
  REPRESENTATIONS.jsonld,
  REPRESENTATIONS.activityLd,
] as const;

export type ArticleRepresentation = (typeof ARTICLE_REPRESENTATIONS)[number];

/** What the home page offers. */
export const HOME_REPRESENTATIONS = [REPRESENTATIONS.html, REPRESENTATIONS.json] as const;

/**
 * Splits an article path segment into slug and, for a variant URL, its fixed representation.
 * @example splitVariant('my-slug.json') // { slug: 'my-slug', fixed: REPRESENTATIONS.json }
 */
export function splitVariant(segment: string): { slug: string; fixed?: ArticleRepresentation } {
  // The longest extension first: `.activity.json` before `.json`. A variant URL's extension
  // names one representation: the first with it (application/activity+json for `.activity.json`).
  for (const fixed of VARIANTS) {
    if (segment.length > fixed.extension.length && segment.endsWith(fixed.extension)) {
      return { slug: segment.slice(0, -fixed.extension.length), fixed };
    }
  }
  return { slug: segment };
}

const VARIANTS = ARTICLE_REPRESENTATIONS.filter(
  (r, i) => ARTICLE_REPRESENTATIONS.findIndex((other) => other.extension === r.extension) === i,
).sort((a, b) => b.extension.length - a.extension.length);
