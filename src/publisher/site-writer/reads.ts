/**
 * What the API reads of the articles: the listing, the schedule, one article's state. Pure
 * functions of the validated rows (rows.ts).
 */
import type { ArticleSummary } from '../../articles/schema';
import type { ArticleState, ArticleStatus, Origin, Scheduled } from '../api-types';
import { summaryOf } from '../plan';
import { currentHash } from './planning';
import type { ArticleRow, Rows } from './rows';

/** One article in the listing: its current revision's summary and its state. */
export type Listed = ArticleSummary & {
  origin: Origin;
  status: ArticleStatus;
  publishAt: string | null;
  owner: string | null;
  /** When its row last changed, and who wrote its newest revision. */
  changedAt: string;
  changedBy: string | null;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** An article's editorial state: a pending draft is in review once submitted. */
export function statusOf(row: ArticleRow, scheduled: boolean): ArticleStatus {
  if (!row.draft) return 'published';
  if (scheduled) return 'scheduled';
  return row.review === 1 ? 'in review' : 'draft';
}

/** Every article with a current revision (pending, else published: what GET answers). */
export function listArticles(rows: Rows): Listed[] {
  const writers = rows.lastWriters();
  return rows.articles().flatMap((row) => {
    const hash = currentHash(row);
    const record = hash ? rows.record(row.slug, hash) : undefined;
    if (!record) return [];
    const pending = rows.scheduleOf(row.slug);
    return [
      {
        ...summaryOf(record),
        origin: row.origin,
        status: statusOf(row, pending !== undefined),
        publishAt: pending ? iso(pending.publish_at) : null,
        owner: row.owner,
        changedAt: iso(row.changed_at),
        changedBy: writers.get(row.slug) ?? null,
      },
    ];
  });
}

/** Articles waiting for their `publishAt`, soonest first. */
export function scheduledArticles(rows: Rows): Scheduled[] {
  return rows
    .scheduled()
    .map((r) => ({ slug: r.slug, hash: r.hash, publishAt: iso(r.publish_at) }));
}

/** One article's state: its published and pending revisions, and when the pending one goes out. */
export function articleState(rows: Rows, slug: string): ArticleState | null {
  const row = rows.article(slug);
  if (!row) return null;
  const pending = rows.scheduleOf(slug);
  const hash = currentHash(row);
  return {
    slug,
    origin: row.origin,
    path: row.path,
    published: row.published ? (rows.record(slug, row.published) ?? null) : null,
    draft: row.draft ? (rows.record(slug, row.draft) ?? null) : null,
    publishAt: pending ? iso(pending.publish_at) : null,
    source: (hash && rows.source(slug, hash)) ?? null,
    inReview: row.review === 1,
    owner: row.owner,
  };
}
