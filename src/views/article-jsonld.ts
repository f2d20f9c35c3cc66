import type { ArticleRecord } from '../articles/schema';
import { imageUrl } from './article-image';

/**
 * The schema.org `NewsArticle` for the article. No `author` when the source names none (an
 * invented or empty author is worse than none), and `image` only when there is a picture (the
 * first article has only a photo credit: no picture is invented).
 */
export function articleJsonLd(
  article: ArticleRecord,
  url: string,
  publisherName: string,
  siteLang: string,
) {
  const picture = imageUrl(article, url);
  const { image, tags = [] } = article;
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    description: article.description,
    url,
    mainEntityOfPage: url,
    inLanguage: article.lang ?? siteLang,
    datePublished: article.datePublished,
    dateModified: article.dateModified ?? article.datePublished,
    ...(article.authors.length > 0
      ? { author: article.authors.map((name) => ({ '@type': 'Person', name })) }
      : {}),
    publisher: { '@type': 'Organization', name: publisherName },
    ...(article.section ? { articleSection: article.section } : {}),
    ...(tags.length > 0 ? { keywords: tags } : {}),
    ...(picture && image
      ? {
          image: {
            '@type': 'ImageObject',
            url: picture,
            ...(image.width ? { width: image.width } : {}),
            ...(image.height ? { height: image.height } : {}),
            ...(image.caption ? { caption: image.caption } : {}),
            ...(image.credit ? { creditText: image.credit } : {}),
          },
        }
      : {}),
    ...(article.correction && article.dateModified
      ? {
          correction: {
            '@type': 'CorrectionComment',
            text: article.correction,
            datePublished: article.dateModified,
          },
        }
      : {}),
    wordCount: article.wordCount,
    ...(article.sources.length > 0
      ? { citation: article.sources.map((name) => ({ '@type': 'CreativeWork', name })) }
      : {}),
  };
}
