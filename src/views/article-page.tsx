import { raw } from 'hono/html';
import type { ArticleRecord } from '../articles/schema';
import { articleJsonLd } from './article-jsonld';
import { formatDate } from './dates';
import { FEED_ALTERNATES, Layout } from './layout';

export interface ArticlePageProps {
  article: ArticleRecord;
  siteName: string;
  /** Absolute canonical URL of the article. */
  url: string;
  /** A private preview (publisher only): marked as such, with the link's expiry. */
  preview?: { expiresAt: string; pending: boolean };
}

/** The article as a complete HTML document. `bodyHtml` was rendered and escaped at publish time. */
export function ArticlePage({ article, siteName, url, preview }: ArticlePageProps) {
  const { title, description, authors, datePublished, dateModified, sources, image } = article;
  const path = new URL(url).pathname;
  const social: [string, string][] = [
    ['og:type', 'article'],
    ['og:site_name', siteName],
    ['og:title', title],
    ['og:description', description],
    ['og:url', url],
    ['article:published_time', datePublished],
    ...(dateModified ? [['article:modified_time', dateModified] as [string, string]] : []),
    ['twitter:card', 'summary'],
    ['twitter:title', title],
    ['twitter:description', description],
  ];
  return (
    <Layout
      siteName={siteName}
      title={`${title} · ${siteName}`}
      description={description}
      canonical={url}
      alternates={[
        { type: 'application/json', href: `${path}.json`, title: 'This article as JSON' },
        { type: 'text/markdown', href: `${path}.md`, title: 'This article as Markdown' },
        ...FEED_ALTERNATES,
      ]}
      social={social}
      jsonLd={articleJsonLd(article, url, siteName)}
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
        <h1>{title}</h1>
        <p class="meta">
          {authors.length > 0 ? <>By {authors.join(', ')} · </> : null}
          <time datetime={datePublished}>{formatDate(datePublished)}</time>
          {dateModified ? (
            <>
              {' · Updated '}
              <time datetime={dateModified}>{formatDate(dateModified)}</time>
            </>
          ) : null}
        </p>
        {raw(article.bodyHtml)}
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
        {image ? <p class="credit">Photo credit: {image.credit}</p> : null}
      </article>
    </Layout>
  );
}
