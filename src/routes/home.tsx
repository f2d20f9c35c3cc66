/**
 * /: the list of published articles, HTML or JSON by `Accept`, read from the one index record.
 */
import { Hono } from 'hono';
import { readIndex } from '../articles/store';
import type { AppEnv } from '../env';
import { negotiate } from '../http/negotiate';
import { articlePath, siteOrigin } from '../http/site-url';
import { articleSummaryJson } from '../views/article-json';
import { HomePage } from '../views/home-page';
import { respondWithError } from './errors';

const HOME_REPRESENTATIONS = [
  { mediaType: 'text/html', name: 'html' },
  { mediaType: 'application/json', name: 'json' },
] as const;

export const home = new Hono<AppEnv>();

home.get('/', async (c) => {
  const representation = negotiate(c, HOME_REPRESENTATIONS);
  if (!representation) {
    return respondWithError(c, {
      status: 406,
      title: 'Not Acceptable',
      detail: 'The home page is available as text/html and application/json.',
    });
  }
  const { articles } = await readIndex(c.env.ARTICLES);

  c.header('Vary', 'Accept');
  if (representation.name === 'json') {
    const origin = siteOrigin(c);
    return c.json({
      articles: articles.map((a) => articleSummaryJson(a, origin + articlePath(a.slug))),
    });
  }
  return c.html(<HomePage articles={articles} siteName={c.env.SITE_NAME} />);
});
