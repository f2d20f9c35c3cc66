/**
 * For crawlers: the sitemap (sitemaps.org 0.9) and robots.txt pointing at it.
 */
import type { ArticleSummary } from '../articles/schema';
import { escapeXml } from './escape';
import { articlePath } from './paths';

/**
 * @param articles every published article, newest first (50,000 URLs at most per sitemap)
 * @param lastModified the newest change of any article: the home page's lastmod
 */
export function sitemap(
  articles: readonly ArticleSummary[],
  lastModified: Date | undefined,
  origin: string,
): string {
  const home = lastModified ? `<lastmod>${lastModified.toISOString()}</lastmod>` : '';
  const urls = [
    `<url><loc>${escapeXml(origin)}/</loc>${home}</url>`,
    ...articles.map(
      (a) =>
        `<url><loc>${escapeXml(origin + articlePath(a.slug))}</loc><lastmod>${a.dateModified ?? a.datePublished}</lastmod></url>`,
    ),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join('\n')}
</urlset>
`;
}

export function robotsTxt(origin: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${origin}/sitemap.xml\n`;
}
