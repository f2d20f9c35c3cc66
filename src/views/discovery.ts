/**
 * For crawlers: the sitemap (sitemaps.org 0.9) and robots.txt pointing at it.
 */
import type { ArticleSummary } from '../articles/schema';
import { escapeXml } from './escape';
import { articlePath } from './paths';

/** sitemaps.org: at most 50,000 URLs per sitemap; a larger site gets a sitemap index. */
export const SITEMAP_MAX_URLS = 50_000;

/** How many sitemaps the site needs: the home page and every article, 50,000 at a time. */
export function sitemapCount(articles: number): number {
  return Math.ceil((articles + 1) / SITEMAP_MAX_URLS);
}

/** The URL of sitemap `part` (1-based) of a site that needs a sitemap index. */
export const sitemapPartPath = (part: number): string => `/sitemaps/${part}.xml`;

/**
 * /sitemap.xml: every URL when they fit in one sitemap, else a sitemap index naming the parts.
 * @param articles every published article, newest first
 * @param lastModified the newest change of any article: the home page's lastmod
 */
export function sitemap(
  articles: readonly ArticleSummary[],
  lastModified: Date | undefined,
  origin: string,
): string {
  const parts = sitemapCount(articles.length);
  if (parts === 1) return sitemapPart(articles, 1, lastModified, origin) ?? '';
  const lastmod = lastModified ? `<lastmod>${lastModified.toISOString()}</lastmod>` : '';
  const entries = Array.from(
    { length: parts },
    (_, i) =>
      `<sitemap><loc>${escapeXml(origin + sitemapPartPath(i + 1))}</loc>${lastmod}</sitemap>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${entries.join('\n')}
</sitemapindex>
`;
}

/**
 * Sitemap `part` (1-based): the home page first, then the articles, newest first, 50,000 URLs
 * to a part. Undefined for a part the site does not have.
 */
export function sitemapPart(
  all: readonly ArticleSummary[],
  part: number,
  lastModified: Date | undefined,
  origin: string,
): string | undefined {
  if (!Number.isInteger(part) || part < 1 || part > sitemapCount(all.length)) return undefined;
  // The home page takes the first place of part 1.
  const start = part === 1 ? 0 : (part - 1) * SITEMAP_MAX_URLS - 1;
  const articles = all.slice(start, part * SITEMAP_MAX_URLS - 1);
  const home = lastModified ? `<lastmod>${lastModified.toISOString()}</lastmod>` : '';
  const urls = [
    ...(part === 1 ? [`<url><loc>${escapeXml(origin)}/</loc>${home}</url>`] : []),
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
