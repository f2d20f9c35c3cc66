/**
 * The KV writes of publishing a whole site onto an empty namespace, in a safe order: what the
 * content build writes to its bulk file and what the tests load. See publish.ts for the rules.
 */
import { type KvEntry, orderedEntries, planSite } from './publish';
import type { ArticleRecord } from './schema';

export type { KvEntry };

/** @example await publishEntries(records) // [...records, histories, index pages, head, pointer] */
export async function publishEntries(records: readonly ArticleRecord[]): Promise<KvEntry[]> {
  return orderedEntries(await planSite([], records, new Map()));
}
