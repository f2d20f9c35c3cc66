import type { ArticleRecord } from '../articles/schema';

/**
 * The article as one Markdown document for agents and text tools: `# Title`, a short metadata
 * list, the body as written, then sources and the photo credit.
 */
export function articleMarkdown(article: ArticleRecord, url: string): string {
  const meta = [
    `- URL: <${url}>`,
    `- Published: ${article.datePublished}`,
    article.dateModified ? `- Updated: ${article.dateModified}` : '',
    article.authors.length > 0 ? `- By: ${article.authors.join(', ')}` : '',
    `- Description: ${article.description}`,
  ].filter(Boolean);
  const parts = [`# ${article.title}`, meta.join('\n'), article.bodyMarkdown];
  if (article.sources.length > 0) {
    parts.push(`## Sources\n\n${article.sources.map((source) => `- ${source}`).join('\n')}`);
  }
  if (article.image) parts.push(`Photo credit: ${article.image.credit}`);
  return `${parts.join('\n\n')}\n`;
}
