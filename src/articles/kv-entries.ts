/**
 * The KV writes of a publish, in the order they must happen: records, then the index that
 * lists them, then the version record that makes caches switch over. A reader that sees the
 * new version therefore finds the new index, and an index never names a missing record.
 */
import { buildIndex } from './build-record';
import { articleKey, INDEX_KEY, VERSION_KEY } from './keys';
import type { ArticleRecord, SiteVersion } from './schema';

export interface KvEntry {
  key: string;
  value: string;
}

/** @example await publishEntries(records) // [...records, index, version] */
export async function publishEntries(records: readonly ArticleRecord[]): Promise<KvEntry[]> {
  const index = await buildIndex(records);
  const version: SiteVersion = { version: index.hash };
  return [
    ...records.map((record) => ({ key: articleKey(record.slug), value: JSON.stringify(record) })),
    { key: INDEX_KEY, value: JSON.stringify(index) },
    { key: VERSION_KEY, value: JSON.stringify(version) },
  ];
}
