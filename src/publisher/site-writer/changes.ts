/**
 * The state changes a write makes, inside its transaction: a record landed as planning.ts
 * decided (its revision kept, the article's row, the schedule, the index, the KV content it
 * needs, the superseded keys to collect, its event), and an article retracted or discarded.
 */
import { articleKey } from '../../articles/keys';
import type { ArticleRecord } from '../../articles/schema';
import type { Origin, WriteStatus } from '../api-types';
import { summaryOf } from '../plan';
import type { Events } from './events';
import type { IndexChunks } from './index-chunks';
import type { Outbox } from './outbox';
import { landing } from './planning';
import type { ArticleRow, Rows } from './rows';

export class Changes {
  readonly #rows: Rows;
  readonly #index: IndexChunks;
  readonly #outbox: Outbox;
  readonly #events: Events;

  constructor(rows: Rows, index: IndexChunks, outbox: Outbox, events: Events) {
    this.#rows = rows;
    this.#index = index;
    this.#outbox = outbox;
    this.#events = events;
  }

  /** Lands one record on the state; `row` is the article's row before it. */
  land(
    record: ArticleRecord,
    origin: Origin,
    path: string | null,
    row: ArticleRow | undefined,
    now = Date.now(),
    source?: string,
  ): WriteStatus {
    const { slug } = record;
    const plan = landing(record, row, this.#rows.scheduleOf(slug), now);
    if (plan.kind === 'already-scheduled') return 'scheduled';
    this.#rows.keepRevision(record, origin, now, source);
    // Whatever was scheduled for this article is replaced by this write.
    this.#rows.unschedule(slug);
    const article = { slug, origin, path, now };
    switch (plan.kind) {
      case 'schedule':
        // The pending revision, published by the alarm at publishAt; a published article stays
        // as it is until then (a scheduled update).
        this.#rows.schedule(slug, record.hash, plan.at);
        this.#events.changed('article.scheduled', record);
        this.#rows.setArticle(article, { draft: record.hash });
        return 'scheduled';
      case 'draft':
        // A draft is stored, never listed.
        if (plan.retract) this.#takeOff(slug, plan.retract);
        this.#rows.setArticle(article, { published: null, draft: record.hash });
        return 'draft';
      case 'publish':
        if (plan.status !== 'unchanged') {
          this.#events.changed(
            plan.status === 'added' ? 'article.published' : 'article.updated',
            record,
          );
          this.#outbox.enqueueContent({
            key: articleKey(slug, record.hash),
            value: JSON.stringify(record),
          });
          if (plan.replaces) this.#outbox.collect(articleKey(slug, plan.replaces));
          this.#index.upsert(summaryOf(record));
        }
        // A published article has no pending draft any more.
        this.#rows.setArticle(article, { published: record.hash, draft: null });
        return plan.status;
    }
  }

  /** Takes a published article off the site (its revisions are kept for rollback). */
  retract(row: ArticleRow, origin: Origin, now = Date.now()): void {
    if (row.published) this.#takeOff(row.slug, row.published);
    this.#rows.clear(row.slug, 'published', origin, now);
  }

  /** Removes an article: retracts it when published, else discards its pending revision. */
  remove(row: ArticleRow, origin: Origin, now = Date.now()): void {
    if (row.published) this.retract(row, origin, now);
    else this.#rows.clear(row.slug, 'draft', origin, now);
    // Removing an article also cancels what was scheduled for it.
    this.#rows.unschedule(row.slug);
  }

  /** Out of the index, its record to garbage, and told. */
  #takeOff(slug: string, hash: string): void {
    this.#index.remove(slug);
    this.#outbox.collect(articleKey(slug, hash));
    this.#events.unpublished(slug);
  }
}
