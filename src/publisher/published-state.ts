/**
 * What KV publishes right now, read fresh (never memoised): for publishing, which must plan
 * against the truth. The reader path uses the memoised PublishedSiteCache instead.
 */

import { indexKey } from '../articles/keys';
import type { ArticleSummary, History } from '../articles/schema';
import { type ArticleStore, StoreUnavailable } from '../articles/store';

export interface PublishedState {
  version: string | null;
  articles: ArticleSummary[];
}

export async function readPublishedState(store: ArticleStore): Promise<PublishedState> {
  const version = await store.readVersion();
  if (version === null) return { version, articles: [] };
  const index = await store.readIndex(version);
  // Never plan against "nothing": a missing index is a lagging or broken store, not an empty site.
  if (!index)
    throw new StoreUnavailable(indexKey(version), 'named by the version pointer but not in KV');
  return { version, articles: index.articles };
}

/** The histories of `slugs`, read at most `limit` at a time. */
export async function readHistories(
  store: ArticleStore,
  slugs: readonly string[],
  limit = 16,
): Promise<Map<string, History | null>> {
  const histories = new Map<string, History | null>();
  let next = 0;
  const worker = async () => {
    while (next < slugs.length) {
      const slug = slugs[next++] as string;
      histories.set(slug, await store.readHistory(slug));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, slugs.length) }, worker));
  return histories;
}
