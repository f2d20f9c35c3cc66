import type { ArticleRecord } from '../articles/schema';

/**
 * The schema.org `NewsArticle` for the article. No `author` when the source names none (an
 * invented or empty author is worse than none), and no `image`: only its credit is known.
 */
export function articleJsonLd(article: ArticleRecord, url: string, publisherName: string) {
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    description: article.description,
    url,
    mainEntityOfPage: url,
    datePublished: article.datePublished,
    dateModified: article.dateModified ?? article.datePublished,
    ...(article.authors.length > 0
      ? { author: article.authors.map((name) => ({ '@type': 'Person', name })) }
      : {}),
    publisher: { '@type': 'Organization', name: publisherName },
    wordCount: article.wordCount,
    ...(article.sources.length > 0
      ? { citation: article.sources.map((name) => ({ '@type': 'CreativeWork', name })) }
      : {}),
  };
}
