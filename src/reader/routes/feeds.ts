/**
 * /feed.xml (Atom), /feed.json (JSON Feed), /sitemap.xml and /robots.txt: fixed
 * representations of the published site, cached and validated like every other answer; and each
 * section's, tag's and author's feeds (/tags/<slug>/feed.xml, …/feed.json).
 */
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { FACET_KINDS, FACET_LABELS } from '../../articles/facets';
import { articleKey } from '../../articles/keys';
import type { ArticleRecord, ArticleSummary } from '../../articles/schema';
import { StoreUnavailable } from '../../articles/store';
import { REPRESENTATIONS, type RepresentationSpec } from '../../http/representations';
import { robotsTxt, sitemap, sitemapCount, sitemapPart } from '../../views/discovery';
import { atomFeed, type FeedContext, jsonFeed } from '../../views/feeds';
import { facetFeedPath, facetPath } from '../../views/paths';
import type { AppEnv } from '../env';
import type { PublishedSite } from '../freshness';
import { currentSite, serveRepresentation } from '../serve';
import { siteOrigin } from '../site-url';
import { notFound } from './errors';
import { facetOf } from './lists';

export const feeds = new Hono<AppEnv>();

interface SiteDocument {
  path: string;
  representation: RepresentationSpec;
  /** Whether the body needs the newest full records (feeds) or the index alone. */
  withRecords: boolean;
  render: (site: PublishedSite, records: ArticleRecord[], context: FeedContext) => string;
  /** A list's feed: its articles, newest change, feed paths and title (else the whole site's). */
  list?: {
    articles: readonly ArticleSummary[];
    lastModified: { lastModified?: Date };
    context: Pick<FeedContext, 'title' | 'feedPath' | 'pagePath'>;
    cacheTag: string;
  };
}

function serveSiteDocument({ path, representation, withRecords, render, list }: SiteDocument) {
  return async (c: Context<AppEnv>) => {
    const site = await currentSite(c);
    const { siteName, siteLang, feedSize } = c.var.config;
    const context: FeedContext = {
      origin: siteOrigin(c),
      siteName,
      lang: siteLang,
      ...list?.context,
    };
    return serveRepresentation(c, {
      site,
      path,
      representation: representation.name,
      contentType: representation.contentType,
      headers: { 'Cache-Tag': list?.cacheTag ?? 'kvpress,index' },
      published: { hash: site.version, ...(list?.lastModified ?? site.lastModified) },
      body: async (timing) => {
        const articles = list?.articles ?? site.articles;
        const records = withRecords
          ? await timing.measure('kv', () => newestRecords(c, articles, feedSize))
          : [];
        return timing.measure('render', () => render(site, records, context));
      },
    });
  };
}

/** The newest `count` records, read in parallel; a miss happens once per version and URL. */
function newestRecords(c: Context<AppEnv>, articles: readonly ArticleSummary[], count: number) {
  return Promise.all(
    articles.slice(0, count).map(async ({ slug, hash }) => {
      const record = await c.var.store.readArticle(slug, hash);
      if (!record) {
        throw new StoreUnavailable(articleKey(slug, hash), 'listed in the index but not in KV');
      }
      return record;
    }),
  );
}

feeds.get(
  '/feed.xml',
  serveSiteDocument({
    path: '/feed.xml',
    representation: REPRESENTATIONS.atom,
    withRecords: true,
    render: (_site, records, context) => atomFeed(records, context),
  }),
);
feeds.get(
  '/feed.json',
  serveSiteDocument({
    path: '/feed.json',
    representation: REPRESENTATIONS.jsonfeed,
    withRecords: true,
    render: (_site, records, context) => JSON.stringify(jsonFeed(records, context)),
  }),
);
feeds.get(
  '/sitemap.xml',
  serveSiteDocument({
    path: '/sitemap.xml',
    representation: REPRESENTATIONS.sitemap,
    withRecords: false,
    render: (site, _records, { origin }) =>
      sitemap(site.articles, site.lastModified.lastModified, origin),
  }),
);
// The parts of a sitemap index (only a site of more than 50,000 URLs has them).
feeds.get('/sitemaps/:file', async (c, next) => {
  const part = /^([1-9]\d{0,5})\.xml$/.exec(c.req.param('file'))?.[1];
  const site = await currentSite(c);
  const parts = sitemapCount(site.articles.length);
  if (!part || parts === 1 || Number(part) > parts) return next();
  const path = `/sitemaps/${part}.xml`;
  return serveSiteDocument({
    path,
    representation: REPRESENTATIONS.sitemap,
    withRecords: false,
    render: (s, _records, { origin }) =>
      sitemapPart(s.articles, Number(part), s.lastModified.lastModified, origin) ?? '',
  })(c);
});
feeds.get(
  '/robots.txt',
  serveSiteDocument({
    path: '/robots.txt',
    representation: REPRESENTATIONS.robots,
    withRecords: false,
    render: (_site, _records, { origin }) => robotsTxt(origin),
  }),
);

// Each section's, tag's and author's own feeds, in both formats.
for (const kind of FACET_KINDS) {
  for (const format of ['xml', 'json'] as const) {
    feeds.get(`/${kind}/:slug/feed.${format}`, async (c) => {
      const facet = await facetOf(c, kind, c.req.param('slug'));
      if (!facet) return notFound(c);
      const feedPath = facetFeedPath(kind, facet.slug, format);
      return serveSiteDocument({
        path: feedPath,
        representation: format === 'xml' ? REPRESENTATIONS.atom : REPRESENTATIONS.jsonfeed,
        withRecords: true,
        render:
          format === 'xml'
            ? (_site, records, context) => atomFeed(records, context)
            : (_site, records, context) => JSON.stringify(jsonFeed(records, context)),
        list: {
          articles: facet.articles,
          lastModified: facet.lastModified,
          context: {
            title: `${c.var.config.siteName}: ${facet.name} (${FACET_LABELS[kind]})`,
            feedPath: feedPath.slice(0, -`.${format}`.length),
            pagePath: facetPath(kind, facet.slug),
          },
          cacheTag: `kvpress,index,${kind}:${encodeURIComponent(facet.slug)}`,
        },
      })(c);
    });
  }
}
