/**
 * The article writes as the Durable Object takes them: each authorized against the caller's role
 * at the moment of the write (guard.ts, inside commit.ts's critical section), decided
 * (writes.ts), committed through the one commit path, and audited in its transaction. index.ts
 * exposes these as its RPC methods; the scheduled publish comes through here too (as `SCHEDULE`).
 */
import type { ArticleRecord } from '../../articles/schema';
import type { FileRecord, Origin, SyncPlan, SyncResult, WriteResult } from '../api-types';
import type { Caller } from '../people/directory';
import { type ArticleAction, putAction } from '../people/roles';
import type { Commit, Decision } from './commit';
import { type Guard, type Refused, SCHEDULE, syncTouches } from './guard';
import type { Conditions } from './preconditions';
import type { PreviewLinks } from './preview-links';
import type { Rows } from './rows';
import type { Change, Refusal, SyncOptions, Writes } from './writes';

export class Editorial {
  readonly #rows: Rows;
  readonly #writes: Writes;
  readonly #commit: Commit;
  readonly #guard: Guard;
  readonly #previews: PreviewLinks;

  constructor(rows: Rows, writes: Writes, commit: Commit, guard: Guard, previews: PreviewLinks) {
    this.#rows = rows;
    this.#writes = writes;
    this.#commit = commit;
    this.#guard = guard;
    this.#previews = previews;
  }

  /**
   * Publishes (or stores as a draft, or schedules) one article. Preconditions are evaluated
   * against the article's current revision: its pending draft or scheduled one, else the
   * published one (what GET answers with).
   */
  put(
    caller: Caller,
    record: ArticleRecord,
    origin: Origin,
    conditions: Conditions,
    source?: string,
  ): Promise<WriteResult> {
    return this.#write(
      caller,
      record.slug,
      () => putAction(record, this.#live(record.slug), Date.now()),
      () => this.#writes.put(record, origin, conditions, source),
    );
  }

  remove(
    caller: Caller,
    slug: string,
    origin: Origin,
    conditions: Conditions,
  ): Promise<WriteResult> {
    const action = () => (this.#live(slug) ? 'unpublish' : 'discard');
    return this.#write(caller, slug, action, () => this.#writes.remove(slug, origin, conditions));
  }

  rollback(
    caller: Caller,
    slug: string,
    to: string | undefined,
    conditions: Conditions,
  ): Promise<WriteResult> {
    return this.#write(
      caller,
      slug,
      () => 'rollback',
      () => this.#writes.rollback(slug, to, conditions),
    );
  }

  submit(caller: Caller, slug: string): Promise<WriteResult> {
    return this.#write(
      caller,
      slug,
      () => 'submit',
      () => this.#writes.submit(slug, () => this.#guard.submit(slug)),
    );
  }

  /**
   * Makes the site match the `content/` files as planning.ts's planSync decides; `dryRun` plans
   * only. Authorized per article: one refused article and nothing is written (the 403 lists them).
   */
  async sync(
    caller: Caller,
    files: readonly FileRecord[],
    options: SyncOptions,
  ): Promise<SyncResult | Refused> {
    const committed = await this.#commit.run<SyncPlan | Refused>(() => {
      const who = this.#guard.resolve(caller);
      if ('status' in who) return { write: false, value: who };
      const { plan, decision } = this.#writes.sync(files, options);
      const now = Date.now();
      const touches = syncTouches(plan, files, (slug) => this.#rows.article(slug));
      const actions = new Map<string, ArticleAction>(
        files.map(({ record }) => [record.slug, putAction(record, this.#live(record.slug), now)]),
      );
      const checks = touches.map(({ slug }) => ({
        slug,
        action: actions.get(slug) ?? 'unpublish',
      }));
      const refused = options.dryRun ? null : this.#guard.check(who, checks);
      if (refused) return { write: false, value: refused };
      return this.#guard.audited(who, caller.address, decision, () => touches);
    });
    const { value, written, version, projection } = committed;
    if ('status' in value) return value;
    return { plan: value, applied: written, version, projection };
  }

  /** Whether the article is published or scheduled (taking it down or off is an unpublish). */
  #live(slug: string): boolean {
    return !!this.#rows.article(slug)?.published || this.#rows.scheduleOf(slug) !== undefined;
  }

  /** Publishes every scheduled article whose `publishAt` has come, in one commit. */
  async publishDue(now: number): Promise<void> {
    const due = this.#writes.publishDue(now);
    if (!due) return;
    await this.#write(
      SCHEDULE,
      due.slugs.join(','),
      () => 'publish',
      () => due.decision,
    );
  }

  createPreview(
    caller: Caller,
    slug: string,
    tokenHash: string,
    expiresAt: number,
  ): Refused | boolean {
    return this.#previewAs(caller, slug, 'preview.create', () =>
      this.#previews.create(slug, tokenHash, expiresAt, Date.now()),
    );
  }

  revokePreviews(caller: Caller, slug: string): Refused | number | null {
    return this.#previewAs(caller, slug, 'preview.revoke', () =>
      this.#previews.revoke(slug, Date.now()),
    );
  }

  /** A preview-link change (not a revision): authorized, done, audited, in one synchronous step. */
  #previewAs<T>(caller: Caller, slug: string, operation: string, act: () => T): Refused | T {
    const who = this.#guard.resolve(caller);
    if ('status' in who) return who;
    const refused = this.#guard.check(who, [{ action: 'preview', slug }]);
    if (refused) return refused;
    const done = act();
    if (done) this.#guard.record(who, caller.address, operation, slug);
    return done;
  }

  /**
   * A write through the one commit path, authorized inside it against the caller's role now
   * (`action` is read there too), audited in its transaction, answered as the API answers it.
   */
  async #write(
    caller: Caller | typeof SCHEDULE,
    slug: string,
    action: () => ArticleAction,
    decide: () => Decision<Change | Refusal>,
  ): Promise<WriteResult> {
    const person = 'credential' in caller;
    const { value, version, projection, committedBytes } = await this.#commit.run(
      (): Decision<Change | Refusal> => {
        const who = person ? this.#guard.resolve(caller) : caller;
        if ('status' in who) return refuse(who);
        const operation = action();
        const refused = person ? this.#guard.check(who, [{ action: operation, slug }]) : null;
        if (refused) return refuse(refused);
        return this.#guard.audited(who, person ? caller.address : 'alarm', decide(), () =>
          slug.split(',').map((s) => ({ slug: s, operation })),
        );
      },
    );
    if ('ok' in value) return value;
    return { ok: true, ...value, version, projection, committedBytes };
  }
}

const refuse = (refused: Refused): Decision<Change | Refusal> => ({
  write: false,
  value: { ok: false, status: refused.status, detail: refused.detail },
});
