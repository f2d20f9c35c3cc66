/**
 * /: the list of published articles, HTML or JSON by `Accept`, read from the one index record.
 */
import { Hono } from 'hono';
import type { ArticleSummary } from '../articles/schema';
import type { AppEnv } from '../env';
import { entityTag } from '../http/etag';
import { negotiate } from '../http/negotiate';
import { HOME_REPRESENTATIONS } from '../http/representations';
import { articlePath, siteOrigin } from '../http/site-url';
import { articleSummaryJson } from '../views/article-json';
import { HomePage } from '../views/home-page';
import { notAcceptable } from './errors';
import { currentSite, serveRepresentation } from './serve-representation';

export const home = new Hono<AppEnv>();

home.get('/', async (c) => {
  const representation = negotiate(c, HOME_REPRESENTATIONS);
  if (!representation) return notAcceptable(c, HOME_REPRESENTATIONS, () => '/');

  const site = await currentSite(c);
  const { siteName } = c.var.config;
  const origin = siteOrigin(c);
  return serveRepresentation(c, {
    version: site.version,
    path: '/',
    representation: representation.name,
    contentType: representation.contentType,
    headers: { Vary: 'Accept', 'Cache-Tag': 'kvpress,index' },
    // The index is already in memory: the home page costs no KV read at all.
    load: async () => {
      const { articles } = site;
      const lastModified = newestChange(articles);
      return {
        validators: {
          etag: entityTag(site.version, representation.name, `${siteName}|${origin}`),
          ...(lastModified ? { lastModified } : {}),
        },
        render: () =>
          representation.name === 'json'
            ? JSON.stringify({
                articles: articles.map((a) => articleSummaryJson(a, origin + articlePath(a.slug))),
              })
            : (<HomePage articles={articles} siteName={siteName} />).toString(),
      };
    },
  });
});

function newestChange(articles: readonly ArticleSummary[]): Date | undefined {
  let newest = Number.NEGATIVE_INFINITY;
  for (const a of articles)
    newest = Math.max(newest, Date.parse(a.dateModified ?? a.datePublished));
  return Number.isFinite(newest) ? new Date(newest) : undefined;
}
