/**
 * The freshness bound: what is published, as this isolate knows it (the version and its index,
 * with a slug lookup), and how long it trusts that before asking KV again. Every answer is made
 * from, or checked against, this version, and every cache key includes it, so no answer is older
 * than a publish by more than VERSION_MEMORY_TTL + VERSION_KV_CACHE_TTL (KV's own cache of the
 * pointer) once the new pointer is readable at this location (see docs/caching.md). It caches
 * no response.
 *
 * The version pointer is read at most once per `ttlMs`; the index of a version is immutable, so
 * it is read once per version. Concurrent requests do not share one in-flight read: workerd
 * binds I/O to the request that started it, and a request awaiting another's read can hang
 * when that request ends first (the bench caught exactly this); a few duplicate reads per TTL
 * are the price. When KV fails, the last
 * site known is kept and marked stale, so cached copies can still be served (stale-if-error).
 */

import { FACET_KINDS, type FacetKind, facetSlug } from '../articles/facets';
import { indexKey, VERSION_KEY } from '../articles/keys';
import type { ArticleIndex, ArticleSummary } from '../articles/schema';
import { type ArticleStore, StoreUnavailable } from '../articles/store';
import { describeError } from '../describe-error';
import { fingerprint } from '../fingerprint';
import { lastModifiedOf } from '../http/conditional';
import type { NavItem } from '../views/layout';
import { facetPath } from '../views/paths';

export interface PublishedSite {
  /** The index hash, or 'unpublished' before the first publish. Part of every cache key. */
  version: string;
  /** Newest first. */
  articles: readonly ArticleSummary[];
  bySlug: ReadonlyMap<string, ArticleSummary>;
  /** The lists' Last-Modified: the newest change of any article, computed once per version. */
  lastModified: { lastModified?: Date };
  /** Sections, tags and authors by URL segment: each a list newest first, with its name. */
  facets: Readonly<Record<FacetKind, ReadonlyMap<string, Facet>>>;
  /** The masthead's sections: the most used first (at most NAV_MAX), then by name. */
  sections: readonly Facet[];
  /** The same as links, and their fingerprint (an article page's ETag includes it). */
  nav: { items: readonly NavItem[]; key: string };
}

/** One section, tag or author: its name as the newest article writes it, and its articles. */
export interface Facet {
  name: string;
  slug: string;
  articles: readonly ArticleSummary[];
  lastModified: { lastModified?: Date };
}

/** Sections in the masthead at most; the others still have their pages. */
export const NAV_MAX = 8;

const UNPUBLISHED: PublishedSite = {
  version: 'unpublished',
  articles: [],
  bySlug: new Map(),
  lastModified: {},
  facets: { sections: new Map(), tags: new Map(), authors: new Map() },
  sections: [],
  nav: { items: [], key: fingerprint('') },
};

const namesIn = (summary: ArticleSummary, kind: FacetKind): readonly string[] =>
  kind === 'sections'
    ? summary.section
      ? [summary.section]
      : []
    : ((kind === 'tags' ? summary.tags : summary.authors) ?? []);

/**
 * The section, tag and author lists of an index: views of the list the isolate already holds,
 * grouped once per version (one pass), so a publish writes nothing for them (constant cost in
 * site size, as index-chunks.ts keeps the index itself) and a list page costs no KV read.
 */
function facetsOf(articles: readonly ArticleSummary[]): PublishedSite['facets'] {
  const facets: Record<FacetKind, Map<string, Facet>> = {
    sections: new Map(),
    tags: new Map(),
    authors: new Map(),
  };
  for (const kind of FACET_KINDS) {
    const lists = new Map<string, { name: string; slug: string; articles: ArticleSummary[] }>();
    for (const summary of articles) {
      for (const name of namesIn(summary, kind)) {
        const slug = facetSlug(name);
        const list = lists.get(slug);
        if (list) list.articles.push(summary);
        else lists.set(slug, { name, slug, articles: [summary] });
      }
    }
    facets[kind] = new Map(
      [...lists].map(([slug, list]) => [
        slug,
        { ...list, lastModified: lastModifiedOf(list.articles) },
      ]),
    );
  }
  return facets;
}

/** The masthead's links, made once per version, and a fingerprint of them. */
function navOf(sections: readonly Facet[]): PublishedSite['nav'] {
  const items = sections.map((s) => ({ name: s.name, href: facetPath('sections', s.slug) }));
  return { items, key: fingerprint(items.map((item) => `${item.name}\n${item.href}`).join('\n')) };
}

function siteOf(index: ArticleIndex): PublishedSite {
  const facets = facetsOf(index.articles);
  const sections = [...facets.sections.values()]
    .sort((a, b) => b.articles.length - a.articles.length || (a.name < b.name ? -1 : 1))
    .slice(0, NAV_MAX);
  return {
    version: index.hash,
    articles: index.articles,
    bySlug: new Map(index.articles.map((summary) => [summary.slug, summary])),
    lastModified: lastModifiedOf(index.articles),
    facets,
    sections,
    nav: navOf(sections),
  };
}

export class Freshness {
  #site: PublishedSite | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;
  /** Set while KV fails: answers from this site are stale until a read succeeds. */
  #staleSince: number | undefined;

  /**
   * @returns the site, and whether it is stale (KV failed; the last known site is returned).
   * @throws the store's error when KV fails and no site was ever read.
   */
  async current(
    store: ArticleStore,
    ttlMs: number,
    now = Date.now(),
  ): Promise<{ site: PublishedSite; stale: boolean }> {
    if (this.#site && now - this.#checkedAt < ttlMs) {
      return { site: this.#site, stale: this.#staleSince !== undefined };
    }
    try {
      return { site: await this.#refresh(store, now), stale: false };
    } catch (error) {
      if (!this.#site) throw error;
      // Back off for one TTL: requests during an outage do not each wait for KV's deadline.
      if (now - this.#checkedAt >= ttlMs) {
        console.error(
          `published site: keeping version ${this.#site.version}: ${describeError(error)}`,
        );
        this.#checkedAt = now;
        this.#staleSince ??= now;
      }
      return { site: this.#site, stale: true };
    }
  }

  /** The version this isolate would serve right now without asking KV, if it has one. */
  freshVersion(ttlMs: number, now = Date.now()): string | undefined {
    if (!this.#site || this.#staleSince !== undefined || now - this.#checkedAt >= ttlMs)
      return undefined;
    return this.#site.version;
  }

  async #refresh(store: ArticleStore, now: number): Promise<PublishedSite> {
    const version = await store.readVersion();
    let site: PublishedSite;
    if (version === null) site = UNPUBLISHED;
    else if (version === this.#site?.version) site = this.#site;
    else {
      const index = await store.readIndex(version);
      if (!index) {
        throw new StoreUnavailable(
          indexKey(version),
          `${VERSION_KEY} names an index that is not in KV`,
        );
      }
      site = siteOf(index);
    }
    this.#site = site;
    this.#checkedAt = now;
    this.#staleSince = undefined;
    return site;
  }
}
