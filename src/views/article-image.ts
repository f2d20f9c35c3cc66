import type { ArticleRecord } from '../articles/schema';

/** The lead picture's absolute URL (Open Graph, JSON-LD and feeds want one), if it has a picture. */
export function imageUrl(article: ArticleRecord, url: string): string | undefined {
  return article.image?.src ? new URL(article.image.src, url).href : undefined;
}
