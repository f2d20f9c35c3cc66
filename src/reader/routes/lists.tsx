/**
 * The lists of articles, newest first, HTML or JSON by `Accept`, paginated by `?page=N`:
 *   /                    every article (the home page)
 *   /sections/<slug>     one section's, /tags/<slug> one tag's, /authors/<slug> one author's.
 * All are views of the index the isolate already holds: a list page costs no KV read.
 */
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { FACET_KINDS, FACET_LABELS, type FacetKind, isFacetSlug } from '../../articles/facets';
import type { ArticleSummary } from '../../articles/schema';
import { negotiate } from '../../http/negotiate';
import { HOME_REPRESENTATIONS } from '../../http/representations';
import { articleSummaryJson } from '../../views/article-json';
import { ListPage } from '../../views/list-page';
import { articlePath, facetFeedPath, facetPath, listPagePath } from '../../views/paths';
import type { AppEnv } from '../env';
import type { Facet } from '../freshness';
import { currentSite, serveRepresentation } from '../serve';
import { siteOrigin } from '../site-url';
import { notAcceptable, notFound } from './errors';

export const lists = new Hono<AppEnv>();

const PAGE_NUMBER = /^[1-9][0-9]{0,5}$/;

/** What a list page shows, beyond its articles. */
interface ListSource {
  articles: readonly ArticleSummary[];
  /** Path of page N of this list. */
  pagePath: (page: number) => string;
  /** The hash its body is made from (the site's version) and its newest change. */
  lastModified: { lastModified?: Date };
  heading: string;
  facet?: { kind: FacetKind; label: string; slug: string; name: string };
  cacheTag: string;
}

async function serveList(c: Context<AppEnv>, source: ListSource) {
  // Other query parameters (utm_…) are ignored; a `page` that is not a page is a 404.
  const pageParam = c.req.query('page');
  if (pageParam !== undefined && !PAGE_NUMBER.test(pageParam)) return notFound(c);
  const page = pageParam === undefined ? 1 : Number(pageParam);

  const representation = negotiate(c, HOME_REPRESENTATIONS);
  if (!representation) return notAcceptable(c, HOME_REPRESENTATIONS, () => source.pagePath(page));

  const site = await currentSite(c);
  const { siteName, siteLang, pageSize } = c.var.config;
  const pages = Math.max(1, Math.ceil(source.articles.length / pageSize));
  if (page > pages) return notFound(c);

  const origin = siteOrigin(c);
  const path = source.pagePath(page);
  const articles = source.articles.slice((page - 1) * pageSize, page * pageSize);
  const newer = page > 1 ? source.pagePath(page - 1) : undefined;
  const older = page < pages ? source.pagePath(page + 1) : undefined;
  const links = [newer && `<${newer}>; rel="prev"`, older && `<${older}>; rel="next"`];
  const { facet } = source;
  const feeds = facet && {
    atom: facetFeedPath(facet.kind, facet.slug, 'xml'),
    json: facetFeedPath(facet.kind, facet.slug, 'json'),
  };
  if (feeds) {
    links.push(`<${feeds.atom}>; rel="alternate"; type="application/atom+xml"`);
    links.push(`<${feeds.json}>; rel="alternate"; type="application/feed+json"`);
  }
  const headers: Record<string, string> = { Vary: 'Accept', 'Cache-Tag': source.cacheTag };
  if (links.some(Boolean)) headers.Link = links.filter(Boolean).join(', ');

  return serveRepresentation(c, {
    site,
    path,
    representation: representation.name,
    contentType: representation.contentType,
    headers,
    // The site's version names the list and the masthead's sections alike.
    published: { hash: site.version, ...source.lastModified },
    body: (timing) =>
      timing.measure('render', () =>
        representation.name === 'json'
          ? JSON.stringify({
              ...(facet
                ? {
                    [facet.kind.slice(0, -1)]: {
                      name: facet.name,
                      url: origin + facetPath(facet.kind, facet.slug),
                    },
                  }
                : {}),
              articles: articles.map((a) => articleSummaryJson(a, origin + articlePath(a.slug))),
              page,
              pages,
              newer: newer ? origin + newer : null,
              older: older ? origin + older : null,
              ...(feeds ? { feeds: { atom: origin + feeds.atom, json: origin + feeds.json } } : {}),
            })
          : (
              <ListPage
                articles={articles}
                siteName={siteName}
                lang={siteLang}
                url={origin + path}
                heading={source.heading}
                {...(facet ? { label: facet.label } : {})}
                {...(feeds ? { feeds } : {})}
                {...(facet?.kind === 'sections'
                  ? { current: facetPath(facet.kind, facet.slug) }
                  : {})}
                nav={site.nav.items}
                page={page}
                {...(newer ? { newer } : {})}
                {...(older ? { older } : {})}
              />
            ).toString(),
      ),
  });
}

lists.get('/', async (c) => {
  const site = await currentSite(c);
  return serveList(c, {
    articles: site.articles,
    pagePath: listPagePath,
    lastModified: site.lastModified,
    heading: 'Latest articles',
    cacheTag: 'kvpress,index',
  });
});

/** The list of `kind` named by the path, or undefined (a 404) when nothing is filed under it. */
export async function facetOf(
  c: Context<AppEnv>,
  kind: FacetKind,
  segment: string,
): Promise<Facet | undefined> {
  if (!isFacetSlug(segment)) return undefined;
  const site = await currentSite(c);
  return site.facets[kind].get(segment);
}

for (const kind of FACET_KINDS) {
  lists.get(`/${kind}/:slug`, async (c) => {
    const facet = await facetOf(c, kind, c.req.param('slug'));
    if (!facet) return notFound(c);
    return serveList(c, {
      articles: facet.articles,
      pagePath: (page) => facetPath(kind, facet.slug, page),
      lastModified: facet.lastModified,
      heading: facet.name,
      facet: { kind, label: FACET_LABELS[kind], slug: facet.slug, name: facet.name },
      cacheTag: `kvpress,index,${kind}:${encodeURIComponent(facet.slug)}`,
    });
  });
}
