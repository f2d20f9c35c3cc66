/**
 * Who may make an article write, decided where the write is evaluated (inside commit.ts's critical
 * section, against the person's role as it is now), and what the write leaves behind for them:
 * the articles it created are theirs, its revisions name them, and the audit trail has one entry
 * per article it touched, all in the write's own transaction.
 */
import * as v from 'valibot';
import type { FileRecord, SyncPlan } from '../api-types';
import type { Audit } from '../people/audit';
import type { Caller, Directory } from '../people/directory';
import { type ArticleAction, type Principal, refusal } from '../people/roles';
import { firstRow } from '../stored-rows';
import type { Decision } from './commit';
import type { ArticleRow } from './rows';

/** A write refused: 401 (the credential ended since the Worker checked it) or 403. */
export interface Refused {
  status: 401 | 403;
  detail: string;
  /** For a sync: each article refused and why. */
  refused?: { slug: string; reason: string }[];
}

/** The scheduled publish (the alarm) acts for no person. */
export const SCHEDULE: Principal = { person: null, role: 'admin', scopes: [], via: 'schedule' };

const OwnerRow = v.object({ owner: v.nullable(v.string()) });
const NumberRow = v.object({ number: v.number() });

export class Guard {
  readonly #sql: SqlStorage;
  readonly #people: Directory;
  readonly #audit: Audit;

  constructor(sql: SqlStorage, people: Directory, audit: Audit) {
    this.#sql = sql;
    this.#people = people;
    this.#audit = audit;
  }

  /** The caller's principal now, or the 401 that says their credential no longer works. */
  resolve(caller: Caller, now = Date.now()): Principal | Refused {
    return (
      this.#people.resolve(caller.credential, now) ?? {
        status: 401,
        detail: 'This credential is no longer valid (revoked, expired, or its person deactivated).',
      }
    );
  }

  /** Null when `who` may do every one of `checks`; else the 403 naming each refused article. */
  check(who: Principal, checks: { action: ArticleAction; slug: string }[]): Refused | null {
    const refused = checks.flatMap(({ action, slug }) => {
      const owner = this.#owner(slug);
      const reason = refusal(who, action, slug, {
        exists: owner !== undefined,
        owner: owner ?? null,
      });
      return reason ? [{ slug, reason }] : [];
    });
    if (refused.length === 0) return null;
    const detail =
      refused.length === 1
        ? (refused[0]?.reason ?? '')
        : `Nothing was written: ${refused.length} articles are refused (${refused.map((r) => r.slug).join(', ')}).`;
    return { status: 403, detail, refused };
  }

  /** The article's creator (null: none recorded), or undefined when there is no such article. */
  #owner(slug: string): string | null | undefined {
    const rows = this.#sql.exec('SELECT owner FROM articles WHERE slug = ?', slug).toArray();
    return rows.length === 0 ? undefined : (firstRow(OwnerRow, rows, 'articles')?.owner ?? null);
  }

  /**
   * `decision` with what the write leaves for `who` added to its change: ownership of the
   * articles it creates, authorship of its revisions, the review flag dropped once nothing is
   * pending, and one audit entry per article (`operation` names what was done to each).
   */
  audited<T>(
    who: Principal,
    address: string,
    decision: Decision<T>,
    touched: () => { slug: string; operation: string }[],
  ): Decision<T> {
    if (!decision.write) return decision;
    const before =
      this.#sql.exec<{ s: number | null }>('SELECT MAX(seq) AS s FROM revisions').one().s ?? 0;
    const existed = new Set(
      this.#sql
        .exec<{ slug: string }>('SELECT slug FROM articles')
        .toArray()
        .map((r) => r.slug),
    );
    return {
      write: true,
      change: async () => {
        const value = await decision.change();
        const now = Date.now();
        this.#sql.exec(
          'UPDATE revisions SET author_id = ?, author_via = ? WHERE seq > ?',
          who.person?.id ?? null,
          who.via,
          before,
        );
        for (const { slug, operation } of touched()) {
          if (!existed.has(slug) && who.person) {
            this.#sql.exec(
              'UPDATE articles SET owner = ? WHERE slug = ? AND owner IS NULL',
              who.person.id,
              slug,
            );
          }
          // In review only while a draft waits (published, scheduled or discarded: no more).
          this.#sql.exec(
            `UPDATE articles SET review = 0 WHERE slug = ?
               AND (draft IS NULL OR slug IN (SELECT slug FROM schedule))`,
            slug,
          );
          this.#audit.record(who, address, operation, slug, this.#revision(slug), now);
        }
        return value;
      },
    };
  }

  /** The article's newest revision number. */
  #revision(slug: string): number | null {
    const rows = this.#sql
      .exec('SELECT number FROM revisions WHERE slug = ? ORDER BY seq DESC LIMIT 1', slug)
      .toArray();
    return firstRow(NumberRow, rows, 'revisions')?.number ?? null;
  }

  /** Marks a draft as submitted for review (the caller checked it may). */
  submit(slug: string): void {
    this.#sql.exec('UPDATE articles SET review = 1 WHERE slug = ?', slug);
  }

  /** Records a write that is not an article revision (a preview link made or revoked). */
  record(who: Principal, address: string, operation: string, slug: string): void {
    this.#audit.record(who, address, operation, slug, this.#revision(slug), Date.now());
  }
}

/**
 * The articles a sync writes, with what it does to each. A file is no write only when the
 * article is exactly it already (that revision published, or scheduled, nothing else pending,
 * last written by a file; a file at another path only moves where it is kept):
 * landing a file clears a pending draft or schedule and takes the article as a file's, so any
 * other file is a write, authorized and audited like one.
 */
export function syncTouches(
  plan: SyncPlan,
  files: readonly FileRecord[],
  rowOf: (slug: string) => ArticleRow | undefined,
): { slug: string; operation: string }[] {
  const kind = new Map<string, string>();
  for (const slug of plan.added) kind.set(slug, 'sync: publish');
  for (const slug of plan.changed) kind.set(slug, 'sync: update');
  for (const slug of plan.drafts) kind.set(slug, 'sync: draft');
  for (const slug of plan.scheduled) kind.set(slug, 'sync: schedule');
  const unchanged = new Set(plan.unchanged);
  const touches = files.flatMap(({ record }) => {
    const row = rowOf(record.slug);
    const pending = unchanged.has(record.slug) && row?.draft === record.hash;
    const noop =
      row?.origin === 'file' &&
      (record.draft
        ? row.draft === record.hash && !row.published
        : (row.published === record.hash && !row.draft) || pending);
    if (noop) return [];
    return [{ slug: record.slug, operation: kind.get(record.slug) ?? 'sync: republish' }];
  });
  return [...touches, ...plan.removed.map((slug) => ({ slug, operation: 'sync: unpublish' }))];
}
