/**
 * The feeds: Atom (RFC 4287) and JSON Feed 1.1. Entries carry the full article (body, sources,
 * photo credit), its URL and its published and updated dates.
 */
import type { ArticleRecord } from '../articles/schema';
import { toDateTime } from './dates';
import { escapeHtml, escapeXml } from './escape';
import { articlePath } from './paths';

export interface FeedContext {
  siteName: string;
  /** Absolute origin, no trailing slash. */
  origin: string;
}

const articleUrl = (origin: string, slug: string) => origin + articlePath(slug);
const updatedOf = (a: ArticleRecord) => toDateTime(a.dateModified ?? a.datePublished);

/** The article as feed readers show it: the body, then its sources and photo credit. */
function fullContentHtml(article: ArticleRecord): string {
  let html = article.bodyHtml;
  if (article.sources.length > 0) {
    const items = article.sources.map((source) => `<li>${escapeHtml(source)}</li>`).join('');
    html += `<h2>Sources</h2>\n<ul>${items}</ul>\n`;
  }
  if (article.image) html += `<p>Photo credit: ${escapeHtml(article.image.credit)}</p>\n`;
  return html;
}

/** The feed's `updated`: its newest entry's; the epoch for an empty feed (stable bytes, stable ETag). */
function feedUpdated(articles: readonly ArticleRecord[]): string {
  let newest = '1970-01-01T00:00:00Z';
  for (const article of articles) {
    if (Date.parse(updatedOf(article)) > Date.parse(newest)) newest = updatedOf(article);
  }
  return newest;
}

/** @param articles newest first */
export function atomFeed(
  articles: readonly ArticleRecord[],
  { siteName, origin }: FeedContext,
): string {
  const entries = articles.map((article) => {
    const url = escapeXml(articleUrl(origin, article.slug));
    const authors = article.authors
      .map((name) => `<author><name>${escapeXml(name)}</name></author>`)
      .join('');
    return `<entry>
<id>${url}</id>
<title>${escapeXml(article.title)}</title>
<link rel="alternate" type="text/html" href="${url}"/>
<published>${toDateTime(article.datePublished)}</published>
<updated>${updatedOf(article)}</updated>
${authors}<summary>${escapeXml(article.description)}</summary>
<content type="html">${escapeXml(fullContentHtml(article))}</content>
</entry>`;
  });
  // RFC 4287 §4.1.1: a feed whose entries lack authors needs one; the publisher is that author.
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<id>${escapeXml(origin)}/</id>
<title>${escapeXml(siteName)}</title>
<updated>${feedUpdated(articles)}</updated>
<author><name>${escapeXml(siteName)}</name></author>
<link rel="self" type="application/atom+xml" href="${escapeXml(origin)}/feed.xml"/>
<link rel="alternate" type="text/html" href="${escapeXml(origin)}/"/>
<generator>kvpress</generator>
${entries.join('\n')}
</feed>
`;
}

/** @param articles newest first */
export function jsonFeed(articles: readonly ArticleRecord[], { siteName, origin }: FeedContext) {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: siteName,
    home_page_url: `${origin}/`,
    feed_url: `${origin}/feed.json`,
    language: 'en',
    items: articles.map((article) => ({
      id: articleUrl(origin, article.slug),
      url: articleUrl(origin, article.slug),
      title: article.title,
      summary: article.description,
      content_html: fullContentHtml(article),
      date_published: toDateTime(article.datePublished),
      date_modified: updatedOf(article),
      ...(article.authors.length > 0 ? { authors: article.authors.map((name) => ({ name })) } : {}),
    })),
  };
}
