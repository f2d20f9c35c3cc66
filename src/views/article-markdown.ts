import type { ArticleRecord } from '../articles/schema';

/**
 * The article as one Markdown document for agents and text tools: `# Title`, a short metadata
 * list, the body as written, then the correction, sources and the photo credit.
 */
export function articleMarkdown(article: ArticleRecord, url: string): string {
  const { image, tags = [] } = article;
  const meta = [
    `- URL: <${url}>`,
    `- Published: ${article.datePublished}`,
    article.dateModified ? `- Updated: ${article.dateModified}` : '',
    article.authors.length > 0 ? `- By: ${article.authors.join(', ')}` : '',
    article.section ? `- Section: ${article.section}` : '',
    tags.length > 0 ? `- Tags: ${tags.join(', ')}` : '',
    `- Description: ${article.description}`,
  ].filter(Boolean);
  const parts = [`# ${article.title}`, meta.join('\n')];
  if (image?.src) {
    const alt = (image.alt ?? '').replace(/[[\]\\]/g, '\\$&');
    parts.push(`![${alt}](<${image.src}>)${image.caption ? `\n\n*${image.caption}*` : ''}`);
  }
  parts.push(article.bodyMarkdown);
  if (article.correction && article.dateModified) {
    parts.push(`**Correction (${article.dateModified}):** ${article.correction}`);
  }
  if (article.sources.length > 0) {
    parts.push(`## Sources\n\n${article.sources.map((source) => `- ${source}`).join('\n')}`);
  }
  if (image?.credit) parts.push(`Photo credit: ${image.credit}`);
  return `${parts.join('\n\n')}\n`;
}
