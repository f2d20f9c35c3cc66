import type { ArticleSummary } from '../articles/schema';
import { formatDate } from './dates';
import { FEED_ALTERNATES, Layout } from './layout';
import { articlePath } from './paths';

export interface HomePageProps {
  articles: readonly ArticleSummary[];
  siteName: string;
  /** Absolute URL of this page (canonical). */
  url: string;
  /** Paths of the neighbouring pages, when there are any. */
  newer?: string;
  older?: string;
  page: number;
}

/** One page of the list of articles, newest first, each with its date and description. */
export function HomePage({ articles, siteName, url, newer, older, page }: HomePageProps) {
  const title = page > 1 ? `${siteName} · page ${page}` : siteName;
  return (
    <Layout
      siteName={siteName}
      title={title}
      description={`The latest articles from ${siteName}.`}
      canonical={url}
      alternates={[
        {
          type: 'application/json',
          href: new URL(url).pathname + new URL(url).search,
          title: 'These articles as JSON',
        },
        ...FEED_ALTERNATES,
      ]}
      social={[
        ['og:type', 'website'],
        ['og:site_name', siteName],
        ['og:title', title],
        ['og:url', url],
      ]}
    >
      <h1>{page > 1 ? `Latest articles, page ${page}` : 'Latest articles'}</h1>
      {articles.length === 0 ? (
        <p>Nothing has been published yet.</p>
      ) : (
        <ol class="articles">
          {articles.map((article) => (
            <li>
              <article>
                <h2>
                  <a href={articlePath(article.slug)}>{article.title}</a>
                </h2>
                <p class="meta">
                  <time datetime={article.datePublished}>{formatDate(article.datePublished)}</time>
                </p>
                <p>{article.description}</p>
              </article>
            </li>
          ))}
        </ol>
      )}
      {newer || older ? (
        <nav class="pages" aria-label="More articles">
          {newer ? (
            <a href={newer} rel="prev">
              Newer articles
            </a>
          ) : (
            <span />
          )}
          {older ? (
            <a href={older} rel="next">
              Older articles
            </a>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </Layout>
  );
}
