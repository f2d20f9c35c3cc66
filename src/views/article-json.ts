import type { ArticleRecord, ArticleSummary } from '../articles/schema';

/** The article for programs: schema.org property names, camelCase, absolute `url`. */
export function articleJson(article: ArticleRecord, url: string) {
  return {
    slug: article.slug,
    url,
    title: article.title,
    description: article.description,
    authors: article.authors,
    datePublished: article.datePublished,
    dateModified: article.dateModified,
    sources: article.sources,
    image: article.image,
    wordCount: article.wordCount,
    contentHtml: article.bodyHtml,
    contentMarkdown: article.bodyMarkdown,
  };
}

/** One entry of the home page's JSON list. */
export function articleSummaryJson(article: ArticleSummary, url: string) {
  return {
    slug: article.slug,
    url,
    title: article.title,
    description: article.description,
    datePublished: article.datePublished,
  };
}
