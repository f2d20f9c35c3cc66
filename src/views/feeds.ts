/**
 * The feeds: Atom (RFC 4287) and JSON Feed 1.1, the site's and each section's, tag's and
 * author's. Entries carry the full article (picture, body, correction, sources, photo credit),
 * its URL, section and tags as categories, and its published and updated dates (a correction
 * moves `updated`, so readers show the entry again).
 */
import type { ArticleRecord } from '../articles/schema';
import { imageUrl } from './article-image';
import { toDateTime } from './dates';
import { escapeHtml, escapeXml } from './escape';
import { articlePath } from './paths';

export interface FeedContext {
  siteName: string;
  /** Absolute origin, no trailing slash. */
  origin: string;
  /** The site's language (`SITE_LANG`); an entry in another says so. */
  lang: string;
  /** The feed's own title and paths: the site's (`/feed.xml`, `/`) unless a list's. */
  title?: string;
  /** Path of this feed in the other format's sibling: `/feed` for `/feed.xml` and `/feed.json`. */
  feedPath?: string;
  /** Path of the HTML page the feed follows. */
  pagePath?: string;
}

const articleUrl = (origin: string, slug: string) => origin + articlePath(slug);
const updatedOf = (a: ArticleRecord) => toDateTime(a.dateModified ?? a.datePublished);

/** The article as feed readers show it: picture, body, correction, sources, photo credit. */
function fullContentHtml(article: ArticleRecord, origin: string): string {
  const { image } = article;
  const picture = imageUrl(article, `${origin}/`);
  let html = '';
  if (picture && image) {
    const caption = [image.caption, image.credit && `Photo: ${image.credit}`].filter(Boolean);
    html += `<figure><img src="${escapeHtml(picture)}" alt="${escapeHtml(image.alt ?? '')}" width="${image.width}" height="${image.height}">`;
    if (caption.length > 0) html += `<figcaption>${escapeHtml(caption.join(' '))}</figcaption>`;
    html += '</figure>\n';
  }
  html += article.bodyHtml;
  if (article.correction && article.dateModified) {
    html += `<p><strong>Correction (${escapeHtml(article.dateModified)}):</strong> ${escapeHtml(article.correction)}</p>\n`;
  }
  if (article.sources.length > 0) {
    const items = article.sources.map((source) => `<li>${escapeHtml(source)}</li>`).join('');
    html += `<h2>Sources</h2>\n<ul>${items}</ul>\n`;
  }
  if (image?.credit && !picture) html += `<p>Photo credit: ${escapeHtml(image.credit)}</p>\n`;
  return html;
}

/** Section first, then tags: an entry's categories. */
const categoriesOf = (article: ArticleRecord): string[] => [
  ...(article.section ? [article.section] : []),
  ...(article.tags ?? []),
];

/** The feed's `updated`: its newest entry's; the epoch for an empty feed (stable bytes, stable ETag). */
function feedUpdated(articles: readonly ArticleRecord[]): string {
  let newest = '1970-01-01T00:00:00Z';
  for (const article of articles) {
    if (Date.parse(updatedOf(article)) > Date.parse(newest)) newest = updatedOf(article);
  }
  return newest;
}

/** @param articles newest first */
export function atomFeed(articles: readonly ArticleRecord[], context: FeedContext): string {
  const { siteName, origin, lang } = context;
  const feedPath = context.feedPath ?? '/feed';
  const entries = articles.map((article) => {
    const url = escapeXml(articleUrl(origin, article.slug));
    const authors = article.authors
      .map((name) => `<author><name>${escapeXml(name)}</name></author>`)
      .join('');
    const categories = categoriesOf(article)
      .map((name) => `<category term="${escapeXml(name)}"/>`)
      .join('');
    const entryLang =
      article.lang && article.lang !== lang ? ` xml:lang="${escapeXml(article.lang)}"` : '';
    return `<entry${entryLang}>
<id>${url}</id>
<title>${escapeXml(article.title)}</title>
<link rel="alternate" type="text/html" href="${url}"/>
<published>${toDateTime(article.datePublished)}</published>
<updated>${updatedOf(article)}</updated>
${authors}${categories}<summary>${escapeXml(article.description)}</summary>
<content type="html">${escapeXml(fullContentHtml(article, origin))}</content>
</entry>`;
  });
  // RFC 4287 §4.1.1: a feed whose entries lack authors needs one; the publisher is that author.
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(lang)}">
<id>${escapeXml(origin + (context.pagePath ?? '/'))}</id>
<title>${escapeXml(context.title ?? siteName)}</title>
<updated>${feedUpdated(articles)}</updated>
<author><name>${escapeXml(siteName)}</name></author>
<link rel="self" type="application/atom+xml" href="${escapeXml(`${origin}${feedPath}.xml`)}"/>
<link rel="alternate" type="text/html" href="${escapeXml(origin + (context.pagePath ?? '/'))}"/>
<generator>kvpress</generator>
${entries.join('\n')}
</feed>
`;
}

/** @param articles newest first */
export function jsonFeed(articles: readonly ArticleRecord[], context: FeedContext) {
  const { siteName, origin, lang } = context;
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: context.title ?? siteName,
    home_page_url: origin + (context.pagePath ?? '/'),
    feed_url: `${origin}${context.feedPath ?? '/feed'}.json`,
    language: lang,
    items: articles.map((article) => {
      const url = articleUrl(origin, article.slug);
      const image = imageUrl(article, `${origin}/`);
      const tags = categoriesOf(article);
      return {
        id: url,
        url,
        title: article.title,
        summary: article.description,
        content_html: fullContentHtml(article, origin),
        ...(image ? { image } : {}),
        date_published: toDateTime(article.datePublished),
        date_modified: updatedOf(article),
        ...(article.authors.length > 0
          ? { authors: article.authors.map((name) => ({ name })) }
          : {}),
        ...(tags.length > 0 ? { tags } : {}),
        ...(article.lang && article.lang !== lang ? { language: article.lang } : {}),
      };
    }),
  };
}
