import { facetSlug } from '../articles/facets';
import type { ArticleRecord, ArticleSummary } from '../articles/schema';
import { facetPath } from './paths';

/** A section or tag for programs: its name and the absolute URL of its page. */
const named = (origin: string, kind: 'sections' | 'tags', name: string) => ({
  name,
  url: origin + facetPath(kind, facetSlug(name)),
});

/** The article for programs: schema.org property names, camelCase, absolute `url`. */
export function articleJson(article: ArticleRecord, url: string, siteLang: string) {
  const origin = new URL(url).origin;
  return {
    slug: article.slug,
    url,
    title: article.title,
    description: article.description,
    lang: article.lang ?? siteLang,
    section: article.section ? named(origin, 'sections', article.section) : null,
    tags: (article.tags ?? []).map((tag) => named(origin, 'tags', tag)),
    authors: article.authors,
    datePublished: article.datePublished,
    dateModified: article.dateModified,
    correction: article.correction ?? null,
    sources: article.sources,
    // A path is made absolute for programs; the rest is as the publisher wrote it.
    image: article.image?.src
      ? { ...article.image, src: new URL(article.image.src, url).href }
      : article.image,
    wordCount: article.wordCount,
    contentHtml: article.bodyHtml,
    contentMarkdown: article.bodyMarkdown,
  };
}

/** One entry of a list's JSON (home, section, tag, author). */
export function articleSummaryJson(article: ArticleSummary, url: string) {
  const origin = new URL(url).origin;
  return {
    slug: article.slug,
    url,
    title: article.title,
    description: article.description,
    section: article.section ? named(origin, 'sections', article.section) : null,
    datePublished: article.datePublished,
    dateModified: article.dateModified,
  };
}
