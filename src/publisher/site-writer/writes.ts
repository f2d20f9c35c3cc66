/**
 * Each write's decision (commit.ts's Decision): read the state, check the preconditions where the
 * truth is, plan (planning.ts), and say what the change is; commit.ts then commits it.
 */
import type { ArticleRecord } from '../../articles/schema';
import type { FileRecord, Origin, SyncPlan, WriteResult, WriteStatus } from '../api-types';
import type { Changes } from './changes';
import type { Decision } from './commit';
import { currentHash, planSync, rollbackTarget, syncWrites } from './planning';
import { type Conditions, preconditionFails } from './preconditions';
import type { Rows } from './rows';

/** What a write changed, as the API answers it (with the version and projection added). */
export type Change = {
  slug: string;
  status: WriteStatus;
  hash: string | undefined;
  created: boolean;
  /** The article's current revision after the write (pending or published): the next If-Match. */
  current?: string | undefined;
};
/** Why a write was refused: 404, 409 or 412. */
export type Refusal = Extract<WriteResult, { ok: false }>;

export interface SyncOptions {
  force?: boolean;
  dryRun?: boolean;
  partial?: boolean;
  keep?: readonly string[];
}

const refuse = (value: Refusal): Decision<Change | Refusal> => ({ write: false, value });
const noArticle = (slug: string) =>
  refuse({ ok: false, status: 404, detail: `No article "${slug}" exists.` });

export class Writes {
  readonly #rows: Rows;
  readonly #changes: Changes;

  constructor(rows: Rows, changes: Changes) {
    this.#rows = rows;
    this.#changes = changes;
  }

  put(
    record: ArticleRecord,
    origin: Origin,
    conditions: Conditions,
    source?: string,
  ): Decision<Change | Refusal> {
    const row = this.#rows.article(record.slug);
    const current = currentHash(row);
    const failed = preconditionFails(conditions, current);
    if (failed) return refuse({ ok: false, status: 412, ...failed });
    return {
      write: true,
      change: () => {
        const status = this.#changes.land(record, origin, null, row, Date.now(), source);
        return {
          slug: record.slug,
          status,
          hash: status === 'draft' || status === 'scheduled' ? undefined : record.hash,
          created: current === undefined,
          current: record.hash,
        };
      },
    };
  }

  remove(slug: string, origin: Origin, conditions: Conditions): Decision<Change | Refusal> {
    const row = this.#rows.article(slug);
    const current = currentHash(row);
    if (!row || !current) return noArticle(slug);
    const failed = preconditionFails(conditions, current);
    if (failed) return refuse({ ok: false, status: 412, ...failed });
    return {
      write: true,
      change: () => {
        this.#changes.remove(row, origin);
        return { slug, status: 'removed' as const, hash: undefined, created: false };
      },
    };
  }

  rollback(
    slug: string,
    to: string | undefined,
    conditions: Conditions,
  ): Decision<Change | Refusal> {
    const row = this.#rows.article(slug);
    if (!row) return noArticle(slug);
    const failed = preconditionFails(conditions, currentHash(row));
    if (failed) return refuse({ ok: false, status: 412, ...failed });
    const target = rollbackTarget(slug, this.#rows.keptRevisions(slug), row.published, to);
    if ('detail' in target) return refuse({ ok: false, status: 409, detail: target.detail });
    return {
      write: true,
      change: () => {
        const status = this.#changes.land(target.record, 'api', null, row);
        return { slug, status, hash: target.record.hash, created: false };
      },
    };
  }

  /** Moves a pending draft (not a scheduled one) to review; `mark` records it. */
  submit(slug: string, mark: () => void): Decision<Change | Refusal> {
    const row = this.#rows.article(slug);
    if (!row) return noArticle(slug);
    if (!row.draft || this.#rows.scheduleOf(slug)) {
      return refuse({
        ok: false,
        status: 409,
        detail: `"${slug}" has no draft to submit for review.`,
      });
    }
    return {
      write: true,
      change: () => {
        mark();
        return {
          slug,
          status: 'in review',
          hash: undefined,
          created: false,
          current: row.draft ?? undefined,
        };
      },
    };
  }

  /** The sync's plan, and its decision (nothing to write when dry, blocked or unchanged). */
  sync(
    files: readonly FileRecord[],
    options: SyncOptions,
  ): { plan: SyncPlan; decision: Decision<SyncPlan> } {
    const plan = planSync(
      files,
      (slug) => this.#rows.article(slug),
      this.#rows.articles('published'),
      {
        partial: options.partial === true,
        keep: options.keep ?? [],
      },
    );
    const blocked = plan.conflicts.length > 0 && !options.force;
    if (options.dryRun || blocked || !syncWrites(plan)) {
      return { plan, decision: { write: false, value: plan } };
    }
    const decision: Decision<SyncPlan> = {
      write: true,
      change: () => {
        // Oldest first: on a new site, chunks then fill in order (see index-chunks.ts).
        const ordered = [...files].sort(
          (a, b) => Date.parse(a.record.datePublished) - Date.parse(b.record.datePublished),
        );
        for (const { path, record, source } of ordered) {
          this.#changes.land(
            record,
            'file',
            path,
            this.#rows.article(record.slug),
            Date.now(),
            source,
          );
        }
        for (const slug of plan.removed) {
          const row = this.#rows.article(slug);
          if (row) this.#changes.retract(row, 'file');
        }
        return plan;
      },
    };
    return { plan, decision };
  }

  /** Every scheduled article whose `publishAt` has come, published in one commit (or nothing). */
  publishDue(now: number): { slugs: string[]; decision: Decision<Change | Refusal> } | undefined {
    const due = this.#rows.scheduled(now);
    if (due.length === 0) return undefined;
    const decision: Decision<Change | Refusal> = {
      write: true,
      change: () => {
        let published = 0;
        for (const { slug, hash } of due) {
          const row = this.#rows.article(slug);
          const record = this.#rows.record(slug, hash);
          this.#rows.unschedule(slug, hash);
          // Replaced or discarded since it was scheduled: nothing to publish.
          if (!row || row.draft !== hash || !record) continue;
          this.#changes.land(record, row.origin, row.path, row, now);
          published += 1;
        }
        const status: WriteStatus = published > 0 ? 'added' : 'unchanged';
        return { slug: due.map((d) => d.slug).join(','), status, hash: undefined, created: false };
      },
    };
    return { slugs: due.map((d) => d.slug), decision };
  }
}
