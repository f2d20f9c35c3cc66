import type { ArticleSummary } from '../articles/schema';
import { articlePath } from '../http/site-url';
import { formatDate } from './format-date';
import { Layout } from './layout';

export interface HomePageProps {
  articles: readonly ArticleSummary[];
  siteName: string;
}

/** The list of articles, newest first, each with its date and description. */
export function HomePage({ articles, siteName }: HomePageProps) {
  return (
    <Layout
      siteName={siteName}
      title={siteName}
      description={`Latest articles from ${siteName}`}
      alternates={[{ type: 'application/json', href: '/', title: 'Articles as JSON' }]}
    >
      <h1>Latest articles</h1>
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
    </Layout>
  );
}
