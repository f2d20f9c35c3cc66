/**
 * /feed.xml (Atom), /feed.json (JSON Feed), /sitemap.xml and /robots.txt: fixed
 * representations of the published site, cached and validated like every other answer.
 */
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { articleKey } from '../../articles/keys';
import type { ArticleRecord } from '../../articles/schema';
import { StoreUnavailable } from '../../articles/store';
import { REPRESENTATIONS, type RepresentationSpec } from '../../http/representations';
import { robotsTxt, sitemap, sitemapCount, sitemapPart } from '../../views/discovery';
import { atomFeed, jsonFeed } from '../../views/feeds';
import type { AppEnv } from '../env';
import type { PublishedSite } from '../freshness';
import { currentSite, serveRepresentation } from '../serve';
import { siteOrigin } from '../site-url';

export const feeds = new Hono<AppEnv>();

interface SiteDocument {
  path: string;
  representation: RepresentationSpec;
  /** Whether the body needs the newest full records (feeds) or the index alone. */
  withRecords: boolean;
  render: (
    site: PublishedSite,
    records: ArticleRecord[],
    origin: string,
    siteName: string,
  ) => string;
}

function serveSiteDocument({ path, representation, withRecords, render }: SiteDocument) {
  return async (c: Context<AppEnv>) => {
    const site = await currentSite(c);
    const { siteName, feedSize } = c.var.config;
    const origin = siteOrigin(c);
    return serveRepresentation(c, {
      site,
      path,
      representation: representation.name,
      contentType: representation.contentType,
      headers: { 'Cache-Tag': 'kvpress,index' },
      published: { hash: site.version, ...site.lastModified },
      body: async (timing) => {
        const records = withRecords
          ? await timing.measure('kv', () => newestRecords(c, site, feedSize))
          : [];
        return timing.measure('render', () => render(site, records, origin, siteName));
      },
    });
  };
}

/** The newest `count` records, read in parallel; a miss happens once per version and URL. */
function newestRecords(c: Context<AppEnv>, site: PublishedSite, count: number) {
  return Promise.all(
    site.articles.slice(0, count).map(async ({ slug, hash }) => {
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
    render: (_site, records, origin, siteName) => atomFeed(records, { origin, siteName }),
  }),
);
feeds.get(
  '/feed.json',
  serveSiteDocument({
    path: '/feed.json',
    representation: REPRESENTATIONS.jsonfeed,
    withRecords: true,
    render: (_site, records, origin, siteName) =>
      JSON.stringify(jsonFeed(records, { origin, siteName })),
  }),
);
feeds.get(
  '/sitemap.xml',
  serveSiteDocument({
    path: '/sitemap.xml',
    representation: REPRESENTATIONS.sitemap,
    withRecords: false,
    render: (site, _records, origin) =>
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
    render: (s, _records, origin) =>
      sitemapPart(s.articles, Number(part), s.lastModified.lastModified, origin) ?? '',
  })(c);
});
feeds.get(
  '/robots.txt',
  serveSiteDocument({
    path: '/robots.txt',
    representation: REPRESENTATIONS.robots,
    withRecords: false,
    render: (_site, _records, origin) => robotsTxt(origin),
  }),
);
