/**
 * A whole site's KV entries for an empty namespace, in a safe order (records, index chunks, the
 * head, then the pointer): what the content build writes to its bulk file, and what tests and the
 * bench load. The chunk layout is the one the Durable Object grows a site into (index-chunks.ts):
 * chunks of CHUNK_MAX counted from the oldest article, named newest first by the head. Pure.
 */
import { articleKey, indexKey, indexPageKey, type KvEntry, VERSION_KEY } from '../articles/keys';
import {
  type ArticleRecord,
  type ArticleSummary,
  CHUNK_MAX,
  type IndexHead,
  type SiteVersion,
} from '../articles/schema';
import { contentHash } from './build-record';

export type { KvEntry };

export function summaryOf(record: ArticleRecord): ArticleSummary {
  const { slug, title, description, datePublished, dateModified, hash } = record;
  return {
    slug,
    title,
    description,
    datePublished,
    dateModified,
    // What the section, tag and author lists group by; only when set (older chunks keep their hash).
    ...(record.section ? { section: record.section } : {}),
    ...(record.tags?.length ? { tags: record.tags } : {}),
    ...(record.authors.length > 0 ? { authors: record.authors } : {}),
    hash,
  };
}

/** Newest first; the same date sorts by slug, so the order never depends on input order. */
export function newestFirst(a: ArticleSummary, b: ArticleSummary): number {
  return (
    Date.parse(b.datePublished) - Date.parse(a.datePublished) ||
    (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
  );
}

/** The index of `summaries`: its chunks (newest first) and its head. */
export async function indexEntries(
  summaries: readonly ArticleSummary[],
): Promise<{ version: string; head: KvEntry; chunks: KvEntry[] }> {
  const articles = [...summaries].sort(newestFirst);
  const chunks: KvEntry[] = [];
  const pages: string[] = [];
  // Counted from the oldest: the newest chunk is the partial one.
  for (let end = articles.length; end > 0; end -= CHUNK_MAX) {
    const page = { articles: articles.slice(Math.max(0, end - CHUNK_MAX), end) };
    const hash = await contentHash(page);
    pages.unshift(hash);
    chunks.unshift({ key: indexPageKey(hash), value: JSON.stringify(page) });
  }
  const total = articles.length;
  const version = await contentHash({ total, pages });
  const head: IndexHead = { hash: version, total, pages };
  return { version, head: { key: indexKey(version), value: JSON.stringify(head) }, chunks };
}

/** Every entry that publishing exactly `records` onto an empty namespace writes, in order. */
export async function siteEntries(records: readonly ArticleRecord[]): Promise<KvEntry[]> {
  const published = records.filter((record) => !record.draft);
  const { version, head, chunks } = await indexEntries(published.map(summaryOf));
  // A site loaded whole (tests, the bench): its first commit.
  const pointer: SiteVersion = { version, seq: 1 };
  return [
    ...published.map((record) => ({
      key: articleKey(record.slug, record.hash),
      value: JSON.stringify(record),
    })),
    ...chunks,
    head,
    { key: VERSION_KEY, value: JSON.stringify(pointer) },
  ];
}
