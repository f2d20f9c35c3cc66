/**
 * / and /?page=N: the published articles, newest first, HTML or JSON by `Accept`, from the
 * index the isolate already holds: a home page costs no KV read.
 */
import { Hono } from 'hono/tiny';
import { negotiate } from '../../http/negotiate';
import { HOME_REPRESENTATIONS } from '../../http/representations';
import { articleSummaryJson } from '../../views/article-json';
import { HomePage } from '../../views/home-page';
import { articlePath, listPagePath } from '../../views/paths';
import type { AppEnv } from '../env';
import { currentSite, serveRepresentation } from '../serve';
import { siteOrigin } from '../site-url';
import { notAcceptable, notFound } from './errors';

export const home = new Hono<AppEnv>();

const PAGE_NUMBER = /^[1-9][0-9]{0,5}$/;

home.get('/', async (c) => {
  // Other query parameters (utm_…) are ignored; a `page` that is not a page is a 404.
  const pageParam = c.req.query('page');
  if (pageParam !== undefined && !PAGE_NUMBER.test(pageParam)) return notFound(c);
  const page = pageParam === undefined ? 1 : Number(pageParam);

  const representation = negotiate(c, HOME_REPRESENTATIONS);
  if (!representation) return notAcceptable(c, HOME_REPRESENTATIONS, () => listPagePath(page));

  const site = await currentSite(c);
  const { siteName, pageSize } = c.var.config;
  const pages = Math.max(1, Math.ceil(site.articles.length / pageSize));
  if (page > pages) return notFound(c);

  const origin = siteOrigin(c);
  const path = listPagePath(page);
  const articles = site.articles.slice((page - 1) * pageSize, page * pageSize);
  const newer = page > 1 ? listPagePath(page - 1) : undefined;
  const older = page < pages ? listPagePath(page + 1) : undefined;
  const links = [newer && `<${newer}>; rel="prev"`, older && `<${older}>; rel="next"`];
  const headers: Record<string, string> = { Vary: 'Accept', 'Cache-Tag': 'kvpress,index' };
  if (newer || older) headers.Link = links.filter(Boolean).join(', ');

  return serveRepresentation(c, {
    site,
    path,
    representation: representation.name,
    contentType: representation.contentType,
    headers,
    published: { hash: site.version, ...site.lastModified },
    // The index is already in memory: a home page costs no KV read at all.
    body: (timing) =>
      timing.measure('render', () =>
        representation.name === 'json'
          ? JSON.stringify({
              articles: articles.map((a) => articleSummaryJson(a, origin + articlePath(a.slug))),
              page,
              pages,
              newer: newer ? origin + newer : null,
              older: older ? origin + older : null,
            })
          : (
              <HomePage
                articles={articles}
                siteName={siteName}
                url={origin + path}
                page={page}
                {...(newer ? { newer } : {})}
                {...(older ? { older } : {})}
              />
            ).toString(),
      ),
  });
});
