/**
 * Publishing from inside a test, exactly as the build and `kv:load` do it: the same
 * record builder and the same ordered entries (records, index, version), written in order.
 */
import { env } from 'cloudflare:workers';
import type { ArticleRecord } from '../../src/articles/schema';
import { buildArticleRecord } from '../../src/publisher/build-record';
import { siteEntries } from '../../src/publisher/plan';
import demoArticle from '../fixtures/content/how-a-kvpress-article-shows-a-picture.md?raw';
import shippedArticle from '../fixtures/content/trump-seeks-to-renew-relations-with-putins-russia.md?raw';

/** The two fixture articles: the shipped one, and the tests' demo with a picture. */
export { demoArticle, shippedArticle };

/** Builds each Markdown source into a record; throws with the field errors if one is invalid. */
export async function buildRecords(sources: readonly string[]): Promise<ArticleRecord[]> {
  const records: ArticleRecord[] = [];
  for (const source of sources) {
    const result = await buildArticleRecord(source);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    records.push(result.record);
  }
  return records;
}

/** Publishes exactly these articles into the test's KV; returns the records written. */
export async function publish(sources: readonly string[]): Promise<ArticleRecord[]> {
  const records = await buildRecords(sources);
  for (const { key, value } of await siteEntries(records)) await env.ARTICLES.put(key, value);
  return records;
}

/** A copy of the shipped article under another slug, with one sentence of the body changed. */
export function variantOf(slug: string, sentence: string): string {
  return shippedArticle
    .replace(/^slug: .*$/m, `slug: ${slug}`)
    .replace('Beyond diplomatic relations', `${sentence} Beyond diplomatic relations`);
}
