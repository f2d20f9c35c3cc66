/**
 * What a write will do, decided by pure functions of the state they are given (testable without
 * the Durable Object): how one record lands (published, a draft, scheduled, unchanged), what a
 * sync of content/ adds, changes, retracts and refuses, and which revision a rollback restores.
 */
import type { ArticleRecord } from '../../articles/schema';
import type { FileRecord, SyncPlan, WriteStatus } from '../api-types';
import type { ArticleRow, KeptRevision, ScheduleRow } from './rows';

/** True when `record` is to be published later: its `publishAt` is still ahead of `now`. */
export const isScheduled = (record: ArticleRecord, now = Date.now()): boolean =>
  record.publishAt !== undefined && Date.parse(record.publishAt) > now;

/** The article's current revision: its pending one, else the published one (what GET answers). */
export const currentHash = (row: ArticleRow | undefined): string | undefined =>
  row?.draft ?? row?.published ?? undefined;

/** How one record lands on the article's state. */
export type Landing =
  /** Already scheduled exactly so (a sync sends every file again): nothing changes. */
  | { kind: 'already-scheduled' }
  | { kind: 'schedule'; at: number }
  | { kind: 'draft'; retract: string | null }
  | {
      kind: 'publish';
      status: Extract<WriteStatus, 'added' | 'changed' | 'unchanged'>;
      replaces: string | null;
    };

export function landing(
  record: ArticleRecord,
  row: ArticleRow | undefined,
  pending: ScheduleRow | undefined,
  now: number,
): Landing {
  const scheduled = !record.draft && isScheduled(record, now);
  if (scheduled && pending?.hash === record.hash) return { kind: 'already-scheduled' };
  if (scheduled) return { kind: 'schedule', at: Date.parse(record.publishAt ?? '') };
  // A published article turned back into a draft is retracted.
  if (record.draft) return { kind: 'draft', retract: row?.published ?? null };
  const published = row?.published ?? null;
  const status = !published ? 'added' : published === record.hash ? 'unchanged' : 'changed';
  return { kind: 'publish', status, replaces: status === 'changed' ? published : null };
}

/**
 * The plan of a sync: `files` against the articles as `rowOf` knows them. Never overwrites or
 * retracts an article last changed through the API (a conflict). `partial`: the files are a part
 * of content/, so nothing is retracted; `keep`: slugs of files sent in earlier batches.
 */
export function planSync(
  files: readonly FileRecord[],
  rowOf: (slug: string) => ArticleRow | undefined,
  published: readonly ArticleRow[],
  options: { partial: boolean; keep: readonly string[]; now?: number },
): SyncPlan {
  const plan: SyncPlan = {
    added: [],
    changed: [],
    removed: [],
    unchanged: [],
    drafts: [],
    scheduled: [],
    conflicts: [],
  };
  const wanted = new Set<string>();
  for (const { path, record } of files) {
    wanted.add(record.slug);
    const row = rowOf(record.slug);
    if (row && row.origin === 'api' && currentHash(row) !== record.hash) {
      plan.conflicts.push({
        slug: record.slug,
        path,
        reason: 'last changed through the API; the file would overwrite it',
      });
    }
    if (record.draft) plan.drafts.push(record.slug);
    else if (isScheduled(record, options.now)) {
      plan.scheduled.push(record.slug);
      if (row?.draft === record.hash) plan.unchanged.push(record.slug);
    } else if (!row?.published) plan.added.push(record.slug);
    else if (row.published === record.hash) plan.unchanged.push(record.slug);
    else plan.changed.push(record.slug);
  }
  if (options.partial) return plan;
  for (const slug of options.keep) wanted.add(slug);
  for (const row of published) {
    // Published through the API: files never retract it.
    if (!wanted.has(row.slug) && row.origin !== 'api') plan.removed.push(row.slug);
  }
  return plan;
}

/** Whether a sync plan writes anything (a scheduled file stored as such is no change). */
export function syncWrites(plan: SyncPlan): boolean {
  const moves = plan.added.length + plan.changed.length + plan.removed.length;
  const stored =
    plan.drafts.length + plan.scheduled.filter((slug) => !plan.unchanged.includes(slug)).length;
  return moves + stored > 0;
}

/**
 * The revision a rollback publishes: `to` (the article's revision number, or a hash), or by default the one
 * before the published one (the last published one, when the article was retracted).
 */
export function rollbackTarget(
  slug: string,
  kept: readonly KeptRevision[],
  published: string | null,
  to: string | undefined,
): { record: ArticleRecord } | { detail: string } {
  const revisions = kept.filter((r) => !r.record.draft);
  let target: KeptRevision | undefined;
  if (to !== undefined) {
    target = revisions.find((r) => String(r.number) === to || r.hash === to);
    if (!target) return { detail: `${slug}: no kept revision "${to}"` };
  } else if (published) {
    const at = revisions.map((r) => r.hash).lastIndexOf(published);
    target = at > 0 ? revisions[at - 1] : undefined;
    if (!target) {
      return { detail: `${slug}: the published revision is the oldest kept; nothing earlier` };
    }
  } else {
    target = revisions.at(-1);
    if (!target) return { detail: `${slug}: no revision to roll back to` };
  }
  return { record: target.record };
}
