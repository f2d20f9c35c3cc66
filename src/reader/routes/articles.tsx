/**
 * /articles/<slug>: one canonical URL per article, its representation chosen by `Accept`;
 * /articles/<slug>.html|.json|.md|.jsonld: one fixed representation each, no negotiation.
 */

import { Hono } from 'hono/tiny';
import { articleKey } from '../../articles/keys';
import { type ArticleRecord, SLUG_MAX_LENGTH, SLUG_PATTERN } from '../../articles/schema';
import { StoreUnavailable } from '../../articles/store';
import { lastModifiedOf } from '../../http/conditional';
import { linkValue } from '../../http/link-header';
import { negotiate } from '../../http/negotiate';
import {
  ARTICLE_REPRESENTATIONS,
  type ArticleRepresentation,
  type RepresentationSpec,
  splitVariant,
} from '../../http/representations';
import { articleActivity } from '../../views/activity';
import { articleJson } from '../../views/article-json';
import { articleJsonLd } from '../../views/article-jsonld';
import { articleMarkdown } from '../../views/article-markdown';
import { ArticlePage } from '../../views/article-page';
import type { NavItem } from '../../views/layout';
import { articlePath } from '../../views/paths';
import type { AppEnv } from '../env';
import { currentSite, serveRepresentation } from '../serve';
import { siteOrigin } from '../site-url';
import { notAcceptable, notFound, variantNotFound } from './errors';

export const articles = new Hono<AppEnv>();

// `/articles/<slug>/` → 301 to the URL without the slash (its query kept). hono/tiny's router
// also matches this pattern without the slash: those go on to the route below.
articles.get('/:file/', (c, next) => {
  if (!c.req.path.endsWith('/')) return next();
  const url = new URL(c.req.url);
  return c.redirect(`${url.origin}${url.pathname.slice(0, -1)}${url.search}`, 301);
});

articles.get('/:file', async (c) => {
  const { slug, fixed } = splitVariant(c.req.param('file'));
  const missing = () => (fixed ? variantNotFound(c, fixed.mediaType) : notFound(c));
  // Not of the slug shape: cannot be published, so nothing is read.
  if (slug.length > SLUG_MAX_LENGTH || !SLUG_PATTERN.test(slug)) return missing();

  const site = await currentSite(c);
  const summary = site.bySlug.get(slug);
  if (!summary) return missing();

  const canonical = articlePath(slug);
  const variantHref = (r: RepresentationSpec) => canonical + r.extension;
  const representation = fixed ?? negotiate(c, ARTICLE_REPRESENTATIONS);
  if (!representation) return notAcceptable(c, ARTICLE_REPRESENTATIONS, variantHref);

  // Absolute: Mastodon does not resolve a relative link target.
  const origin = siteOrigin(c);
  const links = ARTICLE_REPRESENTATIONS.filter((r) => r !== representation).map((r) =>
    linkValue(origin + variantHref(r), { rel: 'alternate', type: r.mediaType }),
  );
  // A variant URL points search engines and caches at the one canonical URL.
  if (fixed) links.unshift(linkValue(origin + canonical, { rel: 'canonical' }));
  const headers: Record<string, string> = {
    'Content-Location': variantHref(representation),
    Link: links.join(', '),
    'Cache-Tag': `kvpress,article:${slug}`,
  };
  // Only the negotiated URL varies by Accept; a variant URL always sends the same bytes.
  if (!fixed) headers.Vary = 'Accept';

  const { siteName, siteLang } = c.var.config;
  const nav = site.nav.items;
  return serveRepresentation(c, {
    site,
    path: fixed ? variantHref(fixed) : canonical,
    representation: representation.name,
    contentType: representation.contentType,
    headers,
    // The index already knows the record's hash and dates: a 304 needs no KV read.
    // The page also shows the masthead's sections: its tag names them too.
    published: {
      hash: representation.name === 'html' ? `${summary.hash}.${site.nav.key}` : summary.hash,
      ...lastModifiedOf([summary]),
    },
    body: async (timing) => {
      const article = await timing.measure('kv', () => c.var.store.readArticle(slug, summary.hash));
      if (!article) {
        // The index names it, so it was published: a missing record is a broken or lagging store.
        throw new StoreUnavailable(
          articleKey(slug, summary.hash),
          'listed in the index but not in KV',
        );
      }
      return timing.measure('render', () =>
        renderArticle(representation, article, {
          url: origin + canonical,
          siteName,
          siteLang,
          nav,
        }),
      );
    },
  });
});

interface RenderContext {
  url: string;
  siteName: string;
  siteLang: string;
  nav: readonly NavItem[];
}

function renderArticle(
  representation: ArticleRepresentation,
  article: ArticleRecord,
  { url, siteName, siteLang, nav }: RenderContext,
): string | Promise<string> {
  switch (representation.name) {
    case 'html':
      return (
        <ArticlePage
          article={article}
          siteName={siteName}
          siteLang={siteLang}
          url={url}
          nav={nav}
        />
      ).toString();
    case 'json':
      return JSON.stringify(articleJson(article, url, siteLang));
    case 'markdown':
      return articleMarkdown(article, url);
    case 'jsonld':
      return JSON.stringify(articleJsonLd(article, url, siteName, siteLang));
    case 'activity':
    case 'activity-ld':
      return JSON.stringify(articleActivity(article, new URL(url).origin, siteLang));
  }
}
