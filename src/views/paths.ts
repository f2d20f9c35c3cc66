/** The site's URL structure, in one place: views link with it, routes serve it. */
import { type FacetKind, facetSlug } from '../articles/facets';

/** Path of an article's canonical URL. */
export const articlePath = (slug: string): string => `/articles/${slug}`;

/** Path of page `page` of the article list (page 1 is the home page itself). */
export const listPagePath = (page: number): string => (page === 1 ? '/' : `/?page=${page}`);

/** Path of page `page` of a section's, tag's or author's list: `/tags/russia`, `/tags/russia?page=2`. */
export const facetPath = (kind: FacetKind, slug: string, page = 1): string =>
  `/${kind}/${encodeURIComponent(slug)}${page === 1 ? '' : `?page=${page}`}`;

/** Path of a section's, tag's or author's feed: `/tags/russia/feed.xml`, `…/feed.json`. */
export const facetFeedPath = (kind: FacetKind, slug: string, format: 'xml' | 'json'): string =>
  `/${kind}/${encodeURIComponent(slug)}/feed.${format}`;

/** The link to a name's list: `{ name: 'Russia', href: '/tags/russia' }`. */
export const facetLink = (kind: FacetKind, name: string) => ({
  name,
  href: facetPath(kind, facetSlug(name)),
});

/** The site's ActivityPub actor and its collections (one actor per site). */
export const ACTOR_PATH = '/actor';
export const FOLLOWERS_PATH = '/actor/followers';
/** The actor's icon, a PNG of the site's mark (the publisher serves it). */
export const ACTOR_ICON_PATH = '/actor/icon.png';
export const OUTBOX_PATH = '/actor/outbox';
export const INBOX_PATH = '/actor/inbox';
/** Every follower's server may deliver here once for all its users (Mastodon's sharedInbox). */
export const SHARED_INBOX_PATH = '/inbox';
