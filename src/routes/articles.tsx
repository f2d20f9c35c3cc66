/**
 * /articles/:slug: one canonical URL per article, HTML or JSON by `Accept`.
 */
import { Hono } from 'hono';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../articles/schema';
import { readArticle } from '../articles/store';
import type { AppEnv } from '../env';
import { negotiate } from '../http/negotiate';
import { articlePath, siteOrigin } from '../http/site-url';
import { articleJson } from '../views/article-json';
import { ArticlePage } from '../views/article-page';
import { notFound, respondWithError } from './errors';

const ARTICLE_REPRESENTATIONS = [
  { mediaType: 'text/html', name: 'html' },
  { mediaType: 'application/json', name: 'json' },
] as const;

export const articles = new Hono<AppEnv>();

articles.get('/:slug', async (c) => {
  const slug = c.req.param('slug');
  // Not of the slug shape: cannot be published, so no KV read.
  if (slug.length > SLUG_MAX_LENGTH || !SLUG_PATTERN.test(slug)) return notFound(c);

  const representation = negotiate(c, ARTICLE_REPRESENTATIONS);
  if (!representation) {
    return respondWithError(c, {
      status: 406,
      title: 'Not Acceptable',
      detail: 'This article is available as text/html and application/json.',
    });
  }
  const article = await readArticle(c.env.ARTICLES, slug);
  if (!article) return notFound(c);

  c.header('Vary', 'Accept');
  if (representation.name === 'json') {
    return c.json(articleJson(article, siteOrigin(c) + articlePath(slug)));
  }
  return c.html(
    <ArticlePage article={article} siteName={c.env.SITE_NAME} jsonHref={articlePath(slug)} />,
  );
});
