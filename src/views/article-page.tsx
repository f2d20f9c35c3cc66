import { raw } from 'hono/html';
import type { ArticleRecord } from '../articles/schema';
import { formatDate } from './format-date';
import { Layout } from './layout';

export interface ArticlePageProps {
  article: ArticleRecord;
  siteName: string;
  /** Path of the JSON representation, for `<link rel="alternate">`. */
  jsonHref: string;
}

/** The article as a complete HTML document. `bodyHtml` was rendered and escaped at publish time. */
export function ArticlePage({ article, siteName, jsonHref }: ArticlePageProps) {
  const { title, description, authors, datePublished, dateModified, sources, image } = article;
  return (
    <Layout
      siteName={siteName}
      title={`${title} · ${siteName}`}
      description={description}
      alternates={[{ type: 'application/json', href: jsonHref, title: 'This article as JSON' }]}
    >
      <article>
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
