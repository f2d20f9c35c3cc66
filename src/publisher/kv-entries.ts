/**
 * The KV writes of publishing a whole site onto an empty namespace, in a safe order: what the
 * content build writes to its bulk file and what the tests load. See publish.ts for the rules.
 */

import type { ArticleRecord } from '../articles/schema';
import { type KvEntry, orderedEntries, planSite } from './plan';

export type { KvEntry };

/** @example await publishEntries(records) // [...records, histories, index pages, head, pointer] */
export async function publishEntries(records: readonly ArticleRecord[]): Promise<KvEntry[]> {
  return orderedEntries(await planSite([], records, new Map()));
}
