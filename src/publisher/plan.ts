/**
 * Publishing, as pure planning: from what is published and what should be, the KV writes and
 * their order. Shared by the CLI (`npm run publish`), the HTTP API and the tests, so every path
 * publishes the same bytes. Nothing here does I/O.
 *
 * Order (see keys.ts): content first (records, index pages, drafts, histories: any order), then
 * the index head, then the version pointer. A reader that sees the new pointer finds everything.
 */

import {
  articleKey,
  draftKey,
  historyKey,
  indexKey,
  indexPageKey,
  VERSION_KEY,
} from '../articles/keys';
import {
  type ArticleIndex,
  type ArticleRecord,
  type ArticleSummary,
  HISTORY_LENGTH,
  type History,
  INDEX_PAGE_SIZE,
  type IndexHead,
  type SiteVersion,
} from '../articles/schema';
import { contentHash } from './build-record';

export interface KvEntry {
  key: string;
  value: string;
}

export interface Changes {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
  drafts: string[];
}

export interface PublishPlan {
  changes: Changes;
  index: ArticleIndex;
  /** Records, index pages, drafts and histories: written first, in any order. */
  content: KvEntry[];
  /** The index head, written once all content is in. */
  head: KvEntry;
  /** The version pointer, written last. Undefined when nothing changed. */
  pointer: KvEntry | undefined;
}

export function summaryOf(record: ArticleRecord): ArticleSummary {
  const { slug, title, description, datePublished, dateModified, hash } = record;
  return { slug, title, description, datePublished, dateModified, hash };
}

/** Newest first; the same date sorts by slug, so the order never depends on input order. */
export async function indexOf(summaries: readonly ArticleSummary[]): Promise<ArticleIndex> {
  const articles = [...summaries].sort(
    (a, b) =>
      Date.parse(b.datePublished) - Date.parse(a.datePublished) || a.slug.localeCompare(b.slug),
  );
  // Covers every listed record's hash: any change to any article is a new index, a new version.
  return { hash: await contentHash({ articles }), articles };
}

/** The index head and its pages, each page named by its own hash. */
export async function indexEntries(
  index: ArticleIndex,
): Promise<{ head: KvEntry; pages: KvEntry[] }> {
  const pages: KvEntry[] = [];
  const pageHashes: string[] = [];
  for (let start = 0; start < index.articles.length || start === 0; start += INDEX_PAGE_SIZE) {
    const page = { articles: index.articles.slice(start, start + INDEX_PAGE_SIZE) };
    const hash = await contentHash(page);
    pageHashes.push(hash);
    pages.push({ key: indexPageKey(hash), value: JSON.stringify(page) });
  }
  const head: IndexHead = { hash: index.hash, total: index.articles.length, pages: pageHashes };
  return { head: { key: indexKey(index.hash), value: JSON.stringify(head) }, pages };
}

/** The history after a publish: `hash` appended (bounded), or marked removed. */
export function nextHistory(
  previous: History | null,
  change: { hash: string } | 'removed',
): History {
  const revisions = previous?.revisions ?? [];
  if (change === 'removed') return { revisions, removed: true };
  const appended = revisions.at(-1) === change.hash ? revisions : [...revisions, change.hash];
  return { revisions: appended.slice(-HISTORY_LENGTH), removed: false };
}

export interface PlanInput {
  /** What is published now, newest first. */
  current: readonly ArticleSummary[];
  /** New or updated articles (drafts included: they are stored, and unlisted). */
  puts: readonly ArticleRecord[];
  /** Slugs to retract. */
  deletes: readonly string[];
  /** Histories of every slug in puts and deletes, as KV holds them (null: none yet). */
  histories: ReadonlyMap<string, History | null>;
}

/**
 * @example await planChanges({ current: [], puts: [record], deletes: [], histories: new Map() })
 */
export async function planChanges(input: PlanInput): Promise<PublishPlan> {
  const published = new Map(input.current.map((summary) => [summary.slug, summary]));
  const changes: Changes = { added: [], changed: [], removed: [], unchanged: [], drafts: [] };
  const content: KvEntry[] = [];
  const history = (slug: string) => input.histories.get(slug) ?? null;

  for (const record of input.puts) {
    const before = published.get(record.slug);
    if (record.draft) {
      changes.drafts.push(record.slug);
      content.push({ key: draftKey(record.slug), value: JSON.stringify(record) });
      if (before) {
        // A published article turned back into a draft is retracted.
        published.delete(record.slug);
        changes.removed.push(record.slug);
        const next = nextHistory(history(record.slug), 'removed');
        content.push({ key: historyKey(record.slug), value: JSON.stringify(next) });
      }
      continue;
    }
    if (before?.hash === record.hash) {
      changes.unchanged.push(record.slug);
      continue;
    }
    (before ? changes.changed : changes.added).push(record.slug);
    published.set(record.slug, summaryOf(record));
    content.push({ key: articleKey(record.slug, record.hash), value: JSON.stringify(record) });
    const next = nextHistory(history(record.slug), { hash: record.hash });
    content.push({ key: historyKey(record.slug), value: JSON.stringify(next) });
  }
  for (const slug of input.deletes) {
    if (!published.delete(slug)) continue;
    changes.removed.push(slug);
    const next = nextHistory(history(slug), 'removed');
    content.push({ key: historyKey(slug), value: JSON.stringify(next) });
  }

  const index = await indexOf([...published.values()]);
  const { head, pages } = await indexEntries(index);
  const moved = changes.added.length + changes.changed.length + changes.removed.length > 0;
  const version: SiteVersion = { version: index.hash };
  return {
    changes,
    index,
    content: [...content, ...pages],
    head,
    pointer:
      moved || input.current.length === 0
        ? { key: VERSION_KEY, value: JSON.stringify(version) }
        : undefined,
  };
}

/** The plan that makes KV hold exactly `records` (the whole site), from what it holds now. */
export function planSite(
  current: readonly ArticleSummary[],
  records: readonly ArticleRecord[],
  histories: ReadonlyMap<string, History | null>,
): Promise<PublishPlan> {
  const wanted = new Set(records.map((record) => record.slug));
  const deletes = current.map((summary) => summary.slug).filter((slug) => !wanted.has(slug));
  return planChanges({ current, puts: records, deletes, histories });
}

/** Every entry of a plan in a safe write order (for bulk files and tests). */
export function orderedEntries(plan: PublishPlan): KvEntry[] {
  return [...plan.content, plan.head, ...(plan.pointer ? [plan.pointer] : [])];
}

/**
 * Writes a plan in its safe order: all content (in parallel, as `put` likes), then the index
 * head, then the version pointer. Any failure stops before the pointer moves: readers keep the
 * previous version, whole.
 */
export async function applyPlan(
  plan: PublishPlan,
  put: (entries: readonly KvEntry[]) => Promise<void>,
): Promise<void> {
  // The published index unchanged: only drafts (if any) need writing; the pointer stays.
  if (!plan.pointer) {
    if (plan.changes.drafts.length > 0) await put(plan.content);
    return;
  }
  await put(plan.content);
  await put([plan.head]);
  await put([plan.pointer]);
}
