/**
 * The KV writes of a publish, in the order they must happen: records, then the index that
 * lists them, then the version pointer that makes readers and caches switch over. A reader
 * that sees the new version therefore finds the new index, which never names a missing record.
 */
import { buildIndex } from './build-record';
import { articleKey, indexKey, VERSION_KEY } from './keys';
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
    ...records.map((record) => ({
      key: articleKey(record.slug, record.hash),
      value: JSON.stringify(record),
    })),
    { key: indexKey(index.hash), value: JSON.stringify(index) },
    { key: VERSION_KEY, value: JSON.stringify(version) },
  ];
}
