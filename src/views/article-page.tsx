import { raw } from 'hono/html';
import type { ArticleRecord } from '../articles/schema';
import { imageUrl } from './article-image';
import { articleJsonLd } from './article-jsonld';
import { formatDate } from './dates';
import { FEED_ALTERNATES, Layout, type NavItem } from './layout';
import { facetLink } from './paths';

export interface ArticlePageProps {
  article: ArticleRecord;
  siteName: string;
  /** The site's language (`SITE_LANG`): the page's, unless the article names its own. */
  siteLang: string;
  /** Absolute canonical URL of the article. */
  url: string;
  /** The masthead's sections. */
  nav?: readonly NavItem[];
  /** A private preview (publisher only): marked as such, with the link's expiry. */
  preview?: { expiresAt: string; pending: boolean };
}

/** Open Graph and Twitter card metas: the large card when there is a picture. */
function socialMetas(article: ArticleRecord, siteName: string, url: string): [string, string][] {
  const { title, description, datePublished, dateModified, image, section, tags = [] } = article;
  const picture = imageUrl(article, url);
  const social: [string, string][] = [
    ['og:type', 'article'],
    ['og:site_name', siteName],
    ['og:title', title],
    ['og:description', description],
    ['og:url', url],
    ['article:published_time', datePublished],
  ];
  if (dateModified) social.push(['article:modified_time', dateModified]);
  if (section) social.push(['article:section', section]);
  for (const tag of tags) social.push(['article:tag', tag]);
  if (picture && image) {
    social.push(['og:image', picture]);
    if (image.width) social.push(['og:image:width', String(image.width)]);
    if (image.height) social.push(['og:image:height', String(image.height)]);
    if (image.alt) social.push(['og:image:alt', image.alt]);
  }
  social.push(
    ['twitter:card', picture ? 'summary_large_image' : 'summary'],
    ['twitter:title', title],
    ['twitter:description', description],
  );
  if (picture) social.push(['twitter:image', picture]);
  if (picture && image?.alt) social.push(['twitter:image:alt', image.alt]);
  return social;
}

/** The article as a complete HTML document. `bodyHtml` was rendered and escaped at publish time. */
export function ArticlePage({ article, siteName, siteLang, url, nav, preview }: ArticlePageProps) {
  const { title, description, authors, datePublished, dateModified, sources, image } = article;
  const { section, tags = [], correction } = article;
  const path = new URL(url).pathname;
  const sectionHref = section ? facetLink('sections', section).href : undefined;
  return (
    <Layout
      siteName={siteName}
      lang={article.lang ?? siteLang}
      title={`${title} · ${siteName}`}
      description={description}
      canonical={url}
      alternates={[
        { type: 'application/json', href: `${path}.json`, title: 'This article as JSON' },
        { type: 'text/markdown', href: `${path}.md`, title: 'This article as Markdown' },
        // Absolute, as Mastodon wants it to find the object of a pasted link.
        { type: 'application/activity+json', href: url, title: 'This article as ActivityStreams' },
        ...FEED_ALTERNATES,
      ]}
      social={socialMetas(article, siteName, url)}
      jsonLd={articleJsonLd(article, url, siteName, siteLang)}
      {...(nav
        ? {
            nav: nav.map((item) =>
              item.href === sectionHref ? { ...item, current: 'true' as const } : item,
            ),
          }
        : {})}
    >
      <article>
        {preview ? (
          <p class="preview" role="note">
            {preview.pending ? 'Preview: not published yet.' : 'Preview of the published article.'}{' '}
            This link works until{' '}
            <time datetime={preview.expiresAt}>
              {preview.expiresAt.replace('T', ' ').slice(0, 16)} UTC
            </time>
            .
          </p>
        ) : null}
        {section ? (
          <p class="kicker">
            <a href={facetLink('sections', section).href}>{section}</a>
          </p>
        ) : null}
        <h1>{title}</h1>
        <p class="standfirst">{description}</p>
        <p class="meta byline">
          {authors.length > 0 ? (
            <>
              By{' '}
              {authors.map((name, i) => (
                <>
                  {i > 0 ? (i === authors.length - 1 ? ' and ' : ', ') : null}
                  <a href={facetLink('authors', name).href}>{name}</a>
                </>
              ))}
              {' · '}
            </>
          ) : null}
          <time datetime={datePublished}>{formatDate(datePublished)}</time>
          {dateModified ? (
            <>
              {' · Updated '}
              <time datetime={dateModified}>{formatDate(dateModified)}</time>
            </>
          ) : null}
        </p>
        {image?.src ? (
          <figure class="lead">
            <img
              src={image.src}
              alt={image.alt ?? ''}
              width={image.width}
              height={image.height}
              decoding="async"
              fetchpriority="high"
            />
            {image.caption || image.credit ? (
              <figcaption>
                {image.caption}
                {image.caption && image.credit ? ' ' : null}
                {image.credit ? <span class="credit">Photo: {image.credit}</span> : null}
              </figcaption>
            ) : null}
          </figure>
        ) : null}
        <div class="body">{raw(article.bodyHtml)}</div>
        {correction && dateModified ? (
          <section class="correction" aria-labelledby="correction">
            <h2 id="correction">Correction</h2>
            <p>
              <time datetime={dateModified}>{formatDate(dateModified)}</time>: {correction}
            </p>
          </section>
        ) : null}
        {sources.length > 0 ? (
          <section aria-labelledby="sources">
            <h2 id="sources">Sources</h2>
            <ul>
              {sources.map((source) => (
                <li>{source}</li>
              ))}
            </ul>
          </section>
        ) : null}
        {image?.credit && !image.src ? <p class="credit">Photo credit: {image.credit}</p> : null}
        {tags.length > 0 ? (
          <nav class="tags" aria-labelledby="topics">
            <h2 id="topics">Topics</h2>
            <ul>
              {tags.map((tag) => (
                <li>
                  <a href={facetLink('tags', tag).href}>{tag}</a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </article>
    </Layout>
  );
}
