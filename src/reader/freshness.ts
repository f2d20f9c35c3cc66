/**
 * The freshness bound: what is published, as this isolate knows it (the version and its index,
 * with a slug lookup), and how old that knowledge may be. Every answer is made from, or checked
 * against, this version, and every cache key includes it, so no answer is made from knowledge
 * older than VERSION_MAX_AGE_MS while a source can say (docs/caching.md states the bound).
 *
 * Where the version comes from is version-source.ts (this location's copy, the publisher, the
 * KV pointer). A busy isolate refreshes in the background once its knowledge is
 * VERSION_REFRESH_MS old, so no request waits; an idle one waits once, bounded. Reads are
 * monotonic: a version with a lower commit than one served is never served again. The index of
 * a version is immutable, so it is read once per version. Concurrent requests never share an
 * in-flight read (workerd binds I/O to the request that started it: the bench caught a hang).
 * When every source fails, the last site known is kept and marked stale, so cached copies can
 * still be served (stale-if-error). It caches no response.
 */

import { FACET_KINDS, type FacetKind, facetSlug } from '../articles/facets';
import { indexKey, VERSION_KEY } from '../articles/keys';
import type { ArticleIndex, ArticleSummary } from '../articles/schema';
import { StoreUnavailable } from '../articles/store';
import { describeError } from '../describe-error';
import { fingerprint } from '../fingerprint';
import { lastModifiedOf } from '../http/conditional';
import type { NavItem } from '../views/layout';
import { facetPath } from '../views/paths';
import { learnVersion, type VersionSources } from './version-source';

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

/** The two intervals of the freshness bound (ms): see docs/caching.md. */
export interface FreshnessTiming {
  /** Knowledge at least this old is refreshed in the background by the next request. */
  refreshMs: number;
  /** Knowledge this old is never used: the request waits for the sources (the bound). */
  maxAgeMs: number;
}

/** A background refresh older than this is taken as lost (its request's context ended). */
const REFRESH_LOST_MS = 10_000;

export class Freshness {
  #site: PublishedSite | undefined;
  /** The commit of #site: nothing with a lower one is ever served after it (monotonic reads). */
  #seq = -1;
  /** When #site was known to be current (the time its source was asked). */
  #knownAt = Number.NEGATIVE_INFINITY;
  /** Set while every source fails: answers from this site are stale until one succeeds. */
  #staleSince: number | undefined;
  #failedAt = Number.NEGATIVE_INFINITY;
  #refreshStartedAt = Number.NEGATIVE_INFINITY;

  /**
   * The site to answer from. Knowledge younger than `refreshMs` is used as it is; up to
   * `maxAgeMs` it is used while one background refresh runs (no request waits); older, the
   * request waits for the sources (version-source.ts, each bounded).
   * @returns the site, and whether it is stale (every source failed; the last known site).
   * @throws the store's error when the sources fail and no site was ever read.
   */
  async current(
    sources: VersionSources,
    timing: FreshnessTiming,
    now = Date.now(),
  ): Promise<{ site: PublishedSite; stale: boolean }> {
    const site = this.#site;
    if (site && this.#staleSince === undefined && now - this.#knownAt < timing.maxAgeMs) {
      if (now - this.#knownAt >= timing.refreshMs) this.refreshInBackground(sources, timing, now);
      return { site, stale: false };
    }
    // During an outage, one attempt per refresh interval: requests do not each wait a deadline.
    if (site && this.#staleSince !== undefined && now - this.#failedAt < timing.refreshMs) {
      return { site, stale: true };
    }
    try {
      return { site: await this.#refresh(sources, timing, now), stale: false };
    } catch (error) {
      if (!site) throw error;
      if (this.#staleSince === undefined) {
        console.error(`published site: keeping version ${site.version}: ${describeError(error)}`);
      }
      this.#failedAt = now;
      this.#staleSince ??= now;
      return { site, stale: true };
    }
  }

  /** The version this isolate may answer with right now without waiting, if it has one. */
  freshVersion(maxAgeMs: number, now = Date.now()): string | undefined {
    if (!this.#site || this.#staleSince !== undefined || now - this.#knownAt >= maxAgeMs)
      return undefined;
    return this.#site.version;
  }

  /**
   * Starts one refresh that no request waits for, kept alive by `sources.waitUntil`, when the
   * knowledge is `refreshMs` old and none runs. Only a flag is shared: no request ever awaits
   * I/O another request started (workerd binds I/O to its request).
   */
  refreshInBackground(sources: VersionSources, timing: FreshnessTiming, now = Date.now()): void {
    if (!sources.waitUntil || now - this.#knownAt < timing.refreshMs) return;
    if (now - this.#refreshStartedAt < REFRESH_LOST_MS) return;
    this.#refreshStartedAt = now;
    sources.waitUntil(
      this.#refresh(sources, timing, now)
        .catch((error: unknown) => {
          console.error(`published site: background refresh failed: ${describeError(error)}`);
        })
        .finally(() => {
          this.#refreshStartedAt = Number.NEGATIVE_INFINITY;
        }),
    );
  }

  async #refresh(
    sources: VersionSources,
    timing: FreshnessTiming,
    now: number,
  ): Promise<PublishedSite> {
    // A location's copy is used only while it is younger than both intervals.
    const known = await learnVersion(
      { ...sources, refreshMs: Math.min(timing.refreshMs, timing.maxAgeMs) },
      now,
    );
    const current = this.#site;
    // Monotonic: an answer older than what this isolate serves (a location's copy, a lagging
    // KV pointer) changes nothing, but says the site was no newer than ours at known.at.
    if (
      current &&
      (known.seq < this.#seq || (known.seq === this.#seq && known.version === current.version))
    ) {
      this.#knownAt = Math.max(this.#knownAt, known.at);
      this.#staleSince = undefined;
      return current;
    }
    let site: PublishedSite;
    if (known.version === null) site = UNPUBLISHED;
    else if (known.version === current?.version) site = current;
    else {
      const index = await sources.store.readIndex(known.version);
      if (!index) {
        throw new StoreUnavailable(
          indexKey(known.version),
          `the ${known.via === 'kv' ? `${VERSION_KEY} pointer` : 'current version'} names an index that is not in KV`,
        );
      }
      site = siteOf(index);
    }
    // A refresh that finished late must not undo one that finished first with a newer version.
    if (this.#site !== current && known.seq < this.#seq) return this.#site ?? site;
    this.#site = site;
    this.#seq = known.seq;
    this.#knownAt = known.at;
    this.#staleSince = undefined;
    return site;
  }
}
