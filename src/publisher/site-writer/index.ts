/**
 * The site's one writer: a Durable Object (SQLite storage), one named instance per site, that
 * holds the truth (articles, revisions, drafts, origins, the index) and projects it to KV for
 * the readers. Every write, whatever its client (API, CLI, alarm), is evaluated here, its
 * preconditions against this storage and nothing else, and committed in one transaction; the
 * KV projection follows (outbox.ts) and is retried by the alarm until KV matches.
 *
 * Isolation: each write runs inside blockConcurrencyWhile, so no other request interleaves
 * between reading the state and committing the change (hashing awaits, and an await would
 * otherwise let a second write plan against the same state). Atomicity: the change is one
 * storage transaction, rolled back whole if anything in it throws.
 */
import { DurableObject } from 'cloudflare:workers';
import { articleKey } from '../../articles/keys';
import { canonicalLanguage } from '../../articles/language';
import type { ArticleRecord, ArticleSummary } from '../../articles/schema';
import { describeError } from '../../describe-error';
import { articlePath } from '../../views/paths';
import type {
  ArticleState,
  FileRecord,
  Origin,
  Revision,
  Scheduled,
  Settings,
  SyncPlan,
  SyncResult,
  WriteResult,
  WriteStatus,
} from '../api-types';
import { FEDERATION_SCHEMA, Federation, type Follower, type Receipt } from '../federation';
import { summaryOf } from '../plan';
import { type EventType, parseSubscribers, WEBHOOK_SCHEMA, Webhooks } from '../webhooks';
import { Alarm } from './alarm';
import { AuthFailures, type AuthGate } from './auth-failures';
import { INDEX_SCHEMA, IndexChunks } from './index-chunks';
import { Outbox, type ProjectionState } from './outbox';
import { type Conditions, preconditionFails } from './preconditions';

/** Revisions kept per article for rollback and listing (older ones are forgotten). */
export const REVISIONS_KEPT = 20;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS articles (
  slug TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  path TEXT,
  published TEXT,
  draft TEXT,
  changed_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS revisions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  slug TEXT NOT NULL,
  hash TEXT NOT NULL,
  origin TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS revisions_slug ON revisions (slug, seq);
CREATE TABLE IF NOT EXISTS schedule (
  slug TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  publish_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS schedule_at ON schedule (publish_at);
CREATE TABLE IF NOT EXISTS previews (
  token_hash TEXT PRIMARY KEY,
  slug TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS previews_slug ON previews (slug);
${WEBHOOK_SCHEMA}
${FEDERATION_SCHEMA}
${INDEX_SCHEMA}`;

/** True when `record` is to be published later: its `publishAt` is still ahead of `now`. */
const isScheduled = (record: ArticleRecord, now = Date.now()) =>
  record.publishAt !== undefined && Date.parse(record.publishAt) > now;

type ArticleRow = {
  slug: string;
  origin: Origin;
  path: string | null;
  published: string | null;
  draft: string | null;
  changed_at: number;
};

export class SiteWriter extends DurableObject<PublisherBindings> {
  readonly #sql: SqlStorage;
  readonly #index: IndexChunks;
  readonly #outbox: Outbox;
  readonly #auth: AuthFailures;
  readonly #webhooks: Webhooks;
  readonly #federation: Federation;
  readonly #alarm: Alarm;

  constructor(ctx: DurableObjectState, env: PublisherBindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(SCHEMA);
    this.#index = new IndexChunks(this.#sql);
    this.#alarm = new Alarm(ctx.storage);
    this.#outbox = new Outbox(
      ctx,
      () => this.env.ARTICLES,
      () => this.#settings(),
      this.#alarm,
    );
    this.#auth = new AuthFailures(this.#sql);
    this.#webhooks = new Webhooks(
      this.#sql,
      () => parseSubscribers((this.env as { WEBHOOKS?: string }).WEBHOOKS),
      () => this.#settings().webhookRetryMs,
    );
    this.#federation = new Federation(this.#sql, () => {
      const vars = this.env as {
        SITE_URL?: string;
        SITE_LANG?: string;
        ACTIVITYPUB_PRIVATE_KEYS?: string;
        ACTIVITYPUB_PUBLIC_KEYS?: string;
        ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS?: string;
      };
      return {
        allowPrivate: vars.ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS === 'true',
        origin: (vars.SITE_URL ?? '').trim().replace(/\/+$/, ''),
        siteLang: canonicalLanguage(vars.SITE_LANG?.trim() ?? '') ?? 'en',
        ...(vars.ACTIVITYPUB_PRIVATE_KEYS ? { privateKeys: vars.ACTIVITYPUB_PRIVATE_KEYS } : {}),
        ...(vars.ACTIVITYPUB_PUBLIC_KEYS ? { publicKeys: vars.ACTIVITYPUB_PUBLIC_KEYS } : {}),
        retryBaseMs: this.#settings().webhookRetryMs,
      };
    });
  }

  #settings(): Settings {
    const vars = this.env as {
      GC_GRACE_SECONDS?: string;
      POINTER_INTERVAL_MS?: string;
      WEBHOOK_RETRY_MS?: string;
    };
    const number = (text: string | undefined, fallback: number) => {
      const value = Number(text ?? '');
      return text !== undefined && text !== '' && Number.isFinite(value) && value >= 0
        ? value
        : fallback;
    };
    return {
      gcGraceSeconds: number(vars.GC_GRACE_SECONDS, 3600),
      pointerIntervalMs: number(vars.POINTER_INTERVAL_MS, 1000),
      webhookRetryMs: number(vars.WEBHOOK_RETRY_MS, 10_000),
    };
  }

  // ---- reads -------------------------------------------------------------------------------

  /** Every article the site knows (published, draft, or removed with revisions kept). */
  list(): {
    version: string;
    articles: (ArticleSummary & { origin: Origin; status: string; publishAt: string | null })[];
  } {
    const rows = this.#sql.exec<ArticleRow>('SELECT * FROM articles ORDER BY slug').toArray();
    const articles = rows.flatMap((row) => {
      // The current revision, as GET answers it and If-Match compares: pending, else published.
      const hash = row.draft ?? row.published;
      const record = hash ? this.#revision(row.slug, hash) : undefined;
      if (!record) return [];
      const pending = this.#scheduleOf(row.slug);
      return [
        {
          ...summaryOf(record),
          origin: row.origin,
          status: row.draft ? (pending ? 'scheduled' : 'draft') : 'published',
          publishAt: pending?.publishAt ?? null,
        },
      ];
    });
    return { version: this.#outbox.committedVersion(), articles };
  }

  /** Articles waiting for their `publishAt`, soonest first. */
  schedule(): Scheduled[] {
    return this.#sql
      .exec<{ slug: string; hash: string; publish_at: number }>(
        'SELECT slug, hash, publish_at FROM schedule ORDER BY publish_at, slug',
      )
      .toArray()
      .map((r) => ({
        slug: r.slug,
        hash: r.hash,
        publishAt: new Date(r.publish_at).toISOString(),
      }));
  }

  get(slug: string): ArticleState | null {
    const row = this.#row(slug);
    if (!row) return null;
    return {
      slug,
      origin: row.origin,
      path: row.path,
      published: row.published ? (this.#revision(slug, row.published) ?? null) : null,
      draft: row.draft ? (this.#revision(slug, row.draft) ?? null) : null,
      publishAt: this.#scheduleOf(slug)?.publishAt ?? null,
    };
  }

  revisions(slug: string): Revision[] {
    return this.#sql
      .exec<{ seq: number; hash: string; origin: Origin; created_at: number }>(
        'SELECT seq, hash, origin, created_at FROM revisions WHERE slug = ? ORDER BY seq DESC',
        slug,
      )
      .toArray()
      .map((r) => ({
        revision: r.seq,
        hash: r.hash,
        origin: r.origin,
        createdAt: new Date(r.created_at).toISOString(),
      }));
  }

  /**
   * A private preview link's article: its current revision (pending, else published), while the
   * link is unexpired and not revoked. Only the token's hash is stored.
   */
  preview(
    tokenHash: string,
    now = Date.now(),
  ): { record: ArticleRecord; expiresAt: string; pending: boolean } | null {
    const link = this.#sql
      .exec<{ slug: string; expires_at: number }>(
        'SELECT slug, expires_at FROM previews WHERE token_hash = ?',
        tokenHash,
      )
      .toArray()[0];
    if (!link || link.expires_at <= now) return null;
    const row = this.#row(link.slug);
    const hash = row?.draft ?? row?.published;
    const record = hash ? this.#revision(link.slug, hash) : undefined;
    if (!record) return null;
    return { record, expiresAt: new Date(link.expires_at).toISOString(), pending: !!row?.draft };
  }

  /** Stores a new preview link for `slug` (by its token's hash); false when there is no article. */
  createPreview(slug: string, tokenHash: string, expiresAt: number, now = Date.now()): boolean {
    const row = this.#row(slug);
    if (!row || !(row.draft ?? row.published)) return false;
    // Expired links are forgotten as new ones are made: the table stays as small as the live ones.
    this.#sql.exec('DELETE FROM previews WHERE expires_at <= ?', now);
    this.#sql.exec(
      'INSERT INTO previews (token_hash, slug, created_at, expires_at) VALUES (?, ?, ?, ?)',
      tokenHash,
      slug,
      now,
      expiresAt,
    );
    return true;
  }

  /** Revokes every preview link of `slug`; returns how many were live (null: no such article). */
  revokePreviews(slug: string, now = Date.now()): number | null {
    if (!this.#row(slug)) return null;
    const live = this.#sql
      .exec<{ n: number }>(
        'SELECT COUNT(*) AS n FROM previews WHERE slug = ? AND expires_at > ?',
        slug,
        now,
      )
      .toArray()[0]?.n;
    this.#sql.exec('DELETE FROM previews WHERE slug = ?', slug);
    return live ?? 0;
  }

  projection(): ProjectionState {
    return this.#outbox.state();
  }

  // ---- writes ------------------------------------------------------------------------------

  /**
   * Publishes (or stores as a draft, or schedules) one article. Preconditions are evaluated
   * against the article's current revision: its pending draft or scheduled one, else the
   * published one (what GET answers with).
   */
  put(record: ArticleRecord, origin: Origin, conditions: Conditions = {}): Promise<WriteResult> {
    return this.#write(async () => {
      const row = this.#row(record.slug);
      const current = row?.draft ?? row?.published ?? undefined;
      const failed = preconditionFails(conditions, current);
      if (failed) return { ok: false, status: 412, ...failed };
      const status = this.#apply(record, origin, null, row);
      return {
        slug: record.slug,
        status,
        hash: status === 'draft' || status === 'scheduled' ? undefined : record.hash,
        current: record.hash,
        created: current === undefined,
      };
    });
  }

  /** Retracts a published article, or discards a draft (revisions are kept for rollback). */
  remove(slug: string, origin: Origin, conditions: Conditions = {}): Promise<WriteResult> {
    return this.#write(async () => {
      const row = this.#row(slug);
      const current = row?.draft ?? row?.published;
      if (!row || !current)
        return { ok: false, status: 404, detail: `No article "${slug}" exists.` };
      const failed = preconditionFails(conditions, current);
      if (failed) return { ok: false, status: 412, ...failed };
      if (row.published) this.#retract(row, origin);
      else
        this.#sql.exec(
          'UPDATE articles SET draft = NULL, origin = ?, changed_at = ? WHERE slug = ?',
          origin,
          Date.now(),
          slug,
        );
      // Removing an article also cancels what was scheduled for it.
      this.#sql.exec('DELETE FROM schedule WHERE slug = ?', slug);
      return { slug, status: 'removed' as const, hash: undefined, created: false };
    });
  }

  /**
   * Publishes an earlier revision again: `to` (a revision number or hash), or by default the
   * revision before the published one (the last published one, when the article was retracted).
   */
  rollback(slug: string, to?: string, conditions: Conditions = {}): Promise<WriteResult> {
    return this.#write(async () => {
      const row = this.#row(slug);
      if (!row) return { ok: false, status: 404, detail: `No article "${slug}" exists.` };
      const failed = preconditionFails(conditions, row.draft ?? row.published ?? undefined);
      if (failed) return { ok: false, status: 412, ...failed };
      const target = this.#rollbackTarget(slug, row.published, to);
      if ('detail' in target) return { ok: false, status: 409, detail: target.detail };
      const status = this.#apply(target.record, 'api', null, row);
      return { slug, status, hash: target.record.hash, created: false };
    });
  }

  /**
   * Makes the site match the `content/` files: adds and updates their articles, retracts
   * file-origin articles whose file is gone. Never overwrites or retracts an article last changed
   * through the API: such articles are reported as conflicts, and nothing is written while there
   * are any, unless `force`. `dryRun` plans without writing. `partial`: the files are a part of
   * content/ (a batch), so no article is retracted for missing from them. `keep`: slugs of
   * content/ files sent in earlier batches (a large site's last request), not retracted either.
   */
  async sync(
    files: readonly FileRecord[],
    options: {
      force?: boolean;
      dryRun?: boolean;
      partial?: boolean;
      keep?: readonly string[];
    } = {},
  ): Promise<SyncResult> {
    const committed = await this.ctx.blockConcurrencyWhile(async () => {
      const plan = this.#planSync(files, options.partial === true, options.keep ?? []);
      const blocked = plan.conflicts.length > 0 && !options.force;
      const moves = plan.added.length + plan.changed.length + plan.removed.length;
      // A scheduled file already stored as such is also listed unchanged: nothing to commit.
      const stored =
        plan.drafts.length + plan.scheduled.filter((slug) => !plan.unchanged.includes(slug)).length;
      if (options.dryRun || blocked || (moves === 0 && stored === 0)) {
        return { plan, applied: false };
      }
      await this.ctx.storage.transaction(async () => {
        // Oldest first: on a new site, chunks then fill in order (see index-chunks.ts).
        const ordered = [...files].sort(
          (a, b) => Date.parse(a.record.datePublished) - Date.parse(b.record.datePublished),
        );
        for (const { path, record } of ordered) {
          this.#apply(record, 'file', path, this.#row(record.slug));
        }
        for (const slug of plan.removed) {
          const row = this.#row(slug);
          if (row) this.#retract(row, 'file');
        }
        await this.#commitIndex();
      });
      return { plan, applied: true };
    });
    // After the critical section, as for every write: other requests may run during KV I/O.
    const projection = committed.applied ? await this.#outbox.project() : this.#outbox.state();
    if (committed.applied) await this.#armSchedule();
    return { ...committed, version: this.#outbox.committedVersion(), projection };
  }

  // ---- ActivityPub (the inbox verifies in the Worker; the object keeps the state) ----------

  /** A verified Follow of the site's actor: stored, and an Accept queued. */
  async follow(
    follower: Follower,
    follow: { id?: string; type: string; actor: string; object: string },
  ): Promise<{ added: boolean }> {
    const added = this.#federation.follow(follower, follow);
    await this.#armSchedule();
    return { added };
  }

  /** A verified Undo(Follow), or the Delete of a follower's actor. */
  unfollow(actor: string): { removed: boolean } {
    return { removed: this.#federation.unfollow(actor) };
  }

  followerCount(): number {
    return this.#federation.followers.count();
  }

  hasFollower(actor: string): boolean {
    return this.#federation.followers.has(actor);
  }

  /** A verified inbox request's signature (SHA-256) and activity id: seen before? (replays.ts) */
  inboxReceipt(signatureHash: string, activityId: string | undefined): Receipt {
    return this.#federation.replays.receive(signatureHash, activityId);
  }

  /** Counts a failed authentication; see auth-failures.ts. */
  authGate(address: string, tokenOk: boolean): AuthGate {
    return this.#auth.check(address, tokenOk, Date.now());
  }

  /**
   * One alarm for everything the site waits for: scheduled articles whose time has come are
   * published (through the same code as any write), then projection retries and garbage
   * collection; each re-arms for what it waits for next (the earliest wins).
   */
  override async alarm(): Promise<void> {
    await this.#alarm.handle(async () => {
      // Each duty on its own: one that fails (logged) never stops the others or the re-arming.
      const duties: [string, () => Promise<void>][] = [
        ['scheduled publishing', () => this.#publishDue()],
        ['KV projection', () => this.#outbox.onAlarm()],
        // Webhooks tell of what readers can already see: only once KV matches the commits.
        [
          'webhooks',
          async () => {
            if (this.#outbox.state().complete) await this.#webhooks.deliverDue();
          },
        ],
        [
          'ActivityPub deliveries',
          async () => {
            if (this.#outbox.state().complete) await this.#federation.deliverDue();
          },
        ],
      ];
      for (const [name, duty] of duties) {
        try {
          await duty();
        } catch (error) {
          console.error(`alarm: ${name} failed: ${describeError(error)}`);
        }
      }
      await this.#armSchedule();
    });
  }

  // ---- internals ---------------------------------------------------------------------------

  /** Publishes every scheduled article whose `publishAt` has come, in one commit. */
  async #publishDue(now = Date.now()): Promise<void> {
    const due = this.#sql
      .exec<{ slug: string; hash: string }>(
        'SELECT slug, hash FROM schedule WHERE publish_at <= ? ORDER BY publish_at',
        now,
      )
      .toArray();
    if (due.length === 0) return;
    await this.#write(async () => {
      let published = 0;
      for (const { slug, hash } of due) {
        const row = this.#row(slug);
        const record = this.#revision(slug, hash);
        this.#sql.exec('DELETE FROM schedule WHERE slug = ? AND hash = ?', slug, hash);
        // Replaced or discarded since it was scheduled: nothing to publish.
        if (!row || row.draft !== hash || !record) continue;
        this.#apply(record, row.origin, row.path, row, now);
        published += 1;
      }
      const status: WriteStatus = published > 0 ? 'added' : 'unchanged';
      return { slug: due.map((d) => d.slug).join(','), status, hash: undefined, created: false };
    });
  }

  /**
   * Arms the alarm for the earliest scheduled article or webhook delivery, unless it is already
   * armed earlier (the outbox arms its own retries the same way).
   */
  async #armSchedule(): Promise<void> {
    const scheduled = this.#sql
      .exec<{ at: number | null }>('SELECT MIN(publish_at) AS at FROM schedule')
      .toArray()[0]?.at;
    // Deliveries wait for a complete projection: until then the outbox's retry alarm comes first
    // and the deliveries follow in that alarm (never an alarm that fires again at once).
    const complete = this.#outbox.state().complete;
    const delivery = complete ? this.#webhooks.nextAt() : undefined;
    const federated = complete ? this.#federation.deliveries.nextAt() : undefined;
    const times = [scheduled ?? undefined, delivery, federated].filter(
      (t): t is number => t !== undefined,
    );
    if (times.length === 0) return;
    await this.#alarm.request(Math.max(Math.min(...times), Date.now()));
  }

  #scheduleOf(slug: string): { hash: string; publishAt: string } | undefined {
    const row = this.#sql
      .exec<{ hash: string; publish_at: number }>(
        'SELECT hash, publish_at FROM schedule WHERE slug = ?',
        slug,
      )
      .toArray()[0];
    return row ? { hash: row.hash, publishAt: new Date(row.publish_at).toISOString() } : undefined;
  }

  async #write(
    change: () => Promise<
      | { slug: string; status: WriteStatus; hash: string | undefined; created: boolean }
      | Extract<WriteResult, { ok: false }>
    >,
  ): Promise<WriteResult> {
    const outcome = await this.ctx.blockConcurrencyWhile(async () => {
      let result:
        | { slug: string; status: WriteStatus; hash: string | undefined; created: boolean }
        | Extract<WriteResult, { ok: false }>
        | undefined;
      await this.ctx.storage.transaction(async () => {
        result = await change();
        if ('ok' in result) return;
        await this.#commitIndex();
      });
      return result as NonNullable<typeof result>;
    });
    if ('ok' in outcome) return outcome;
    // The commit is durable: answer after one projection attempt, saying whether it completed.
    const projection = await this.#outbox.project();
    // After the projection, which arms its own retries: the earliest of all wins.
    await this.#armSchedule();
    return { ok: true, ...outcome, version: this.#outbox.committedVersion(), projection };
  }

  /** Rebuilds the changed index chunks and queues the KV writes of this commit. */
  async #commitIndex(): Promise<void> {
    const changes = await this.#index.rebuild();
    this.#outbox.enqueue(changes);
    await this.#outbox.armSafetyNet();
  }

  #row(slug: string): ArticleRow | undefined {
    return this.#sql.exec<ArticleRow>('SELECT * FROM articles WHERE slug = ?', slug).toArray()[0];
  }

  #revision(slug: string, hash: string): ArticleRecord | undefined {
    const row = this.#sql
      .exec<{ record: string }>(
        'SELECT record FROM revisions WHERE slug = ? AND hash = ? ORDER BY seq DESC LIMIT 1',
        slug,
        hash,
      )
      .toArray()[0];
    return row ? (JSON.parse(row.record) as ArticleRecord) : undefined;
  }

  /** Stores a revision unless it is already the newest one; keeps REVISIONS_KEPT. */
  #keepRevision(record: ArticleRecord, origin: Origin): void {
    const newest = this.#sql
      .exec<{ hash: string }>(
        'SELECT hash FROM revisions WHERE slug = ? ORDER BY seq DESC LIMIT 1',
        record.slug,
      )
      .toArray()[0];
    if (newest?.hash === record.hash) return;
    this.#sql.exec(
      'INSERT INTO revisions (slug, hash, origin, created_at, record) VALUES (?, ?, ?, ?, ?)',
      record.slug,
      record.hash,
      origin,
      Date.now(),
      JSON.stringify(record),
    );
    this.#sql.exec(
      `DELETE FROM revisions WHERE slug = ?1 AND seq NOT IN (
         SELECT seq FROM revisions WHERE slug = ?1 ORDER BY seq DESC LIMIT ?2)`,
      record.slug,
      REVISIONS_KEPT,
    );
  }

  /** Applies one record to the state (not yet to the index's KV copy). */
  #apply(
    record: ArticleRecord,
    origin: Origin,
    path: string | null,
    row: ArticleRow | undefined,
    now = Date.now(),
  ): WriteStatus {
    const pending = this.#scheduleOf(record.slug);
    if (!record.draft && isScheduled(record, now) && pending?.hash === record.hash) {
      // Already scheduled as it is (a sync sends every file again): nothing changes, no event.
      return 'scheduled';
    }
    this.#keepRevision(record, origin);
    // Whatever was scheduled for this article is replaced by this write.
    this.#sql.exec('DELETE FROM schedule WHERE slug = ?', record.slug);
    if (!record.draft && isScheduled(record, now)) {
      // Stored as the pending revision and published by the alarm at publishAt; a published
      // article stays as it is until then (a scheduled update).
      this.#sql.exec(
        'INSERT INTO schedule (slug, hash, publish_at) VALUES (?, ?, ?)',
        record.slug,
        record.hash,
        Date.parse(record.publishAt ?? ''),
      );
      this.#event('article.scheduled', record);
      this.#sql.exec(
        `INSERT INTO articles (slug, origin, path, published, draft, changed_at) VALUES (?1, ?2, ?3, NULL, ?4, ?5)
         ON CONFLICT (slug) DO UPDATE SET origin = ?2, path = ?3, draft = ?4, changed_at = ?5`,
        record.slug,
        origin,
        path,
        record.hash,
        now,
      );
      return 'scheduled';
    }
    if (record.draft) {
      // A draft is stored, never listed; a published article turned back into a draft is retracted.
      if (row?.published) {
        this.#retractFromIndex(record.slug, row.published);
      }
      this.#sql.exec(
        `INSERT INTO articles (slug, origin, path, published, draft, changed_at) VALUES (?1, ?2, ?3, NULL, ?4, ?5)
         ON CONFLICT (slug) DO UPDATE SET origin = ?2, path = ?3, published = NULL, draft = ?4, changed_at = ?5`,
        record.slug,
        origin,
        path,
        record.hash,
        now,
      );
      return 'draft';
    }
    const status: WriteStatus = !row?.published
      ? 'added'
      : row.published === record.hash
        ? 'unchanged'
        : 'changed';
    if (status !== 'unchanged') {
      this.#event(status === 'added' ? 'article.published' : 'article.updated', record);
      this.#outbox.enqueueContent({
        key: articleKey(record.slug, record.hash),
        value: JSON.stringify(record),
      });
      if (row?.published) this.#outbox.collect(articleKey(record.slug, row.published));
      this.#index.upsert(summaryOf(record));
    }
    // A published article has no pending draft any more.
    this.#sql.exec(
      `INSERT INTO articles (slug, origin, path, published, draft, changed_at) VALUES (?1, ?2, ?3, ?4, NULL, ?5)
       ON CONFLICT (slug) DO UPDATE SET origin = ?2, path = ?3, published = ?4, draft = NULL, changed_at = ?5`,
      record.slug,
      origin,
      path,
      record.hash,
      now,
    );
    return status;
  }

  #retract(row: ArticleRow, origin: Origin): void {
    if (row.published) {
      this.#retractFromIndex(row.slug, row.published);
    }
    this.#sql.exec(
      'UPDATE articles SET published = NULL, origin = ?, changed_at = ? WHERE slug = ?',
      origin,
      Date.now(),
      row.slug,
    );
  }

  #event(type: EventType, record: ArticleRecord): void {
    if (type === 'article.published') this.#federation.tell('published', record);
    if (type === 'article.updated') this.#federation.tell('updated', record);
    this.#webhooks.record(type, {
      slug: record.slug,
      path: articlePath(record.slug),
      hash: record.hash,
      title: record.title,
      ...(record.publishAt ? { publishAt: record.publishAt } : {}),
    });
  }

  /** Takes a published article off the site: out of the index, its record to garbage, told. */
  #retractFromIndex(slug: string, hash: string): void {
    this.#index.remove(slug);
    this.#outbox.collect(articleKey(slug, hash));
    this.#webhooks.record('article.unpublished', { slug, path: articlePath(slug) });
    this.#federation.tell('unpublished', slug);
  }

  #rollbackTarget(
    slug: string,
    published: string | null,
    to: string | undefined,
  ): { record: ArticleRecord } | { detail: string } {
    const revisions = this.#sql
      .exec<{ seq: number; hash: string; record: string }>(
        'SELECT seq, hash, record FROM revisions WHERE slug = ? ORDER BY seq ASC',
        slug,
      )
      .toArray()
      .filter((r) => !(JSON.parse(r.record) as ArticleRecord).draft);
    let target: (typeof revisions)[number] | undefined;
    if (to !== undefined) {
      target = revisions.find((r) => String(r.seq) === to || r.hash === to);
      if (!target) return { detail: `${slug}: no kept revision "${to}"` };
    } else if (published) {
      const at = revisions.map((r) => r.hash).lastIndexOf(published);
      target = at > 0 ? revisions[at - 1] : undefined;
      if (!target)
        return { detail: `${slug}: the published revision is the oldest kept; nothing earlier` };
    } else {
      target = revisions.at(-1);
      if (!target) return { detail: `${slug}: no revision to roll back to` };
    }
    return { record: JSON.parse(target.record) as ArticleRecord };
  }

  #planSync(files: readonly FileRecord[], partial: boolean, keep: readonly string[]): SyncPlan {
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
      const row = this.#row(record.slug);
      const current = row?.draft ?? row?.published;
      if (row && row.origin === 'api' && current !== record.hash) {
        plan.conflicts.push({
          slug: record.slug,
          path,
          reason: 'last changed through the API; the file would overwrite it',
        });
      }
      if (record.draft) plan.drafts.push(record.slug);
      else if (isScheduled(record)) {
        plan.scheduled.push(record.slug);
        if (row?.draft === record.hash) plan.unchanged.push(record.slug);
      } else if (!row?.published) plan.added.push(record.slug);
      else if (row.published === record.hash) plan.unchanged.push(record.slug);
      else plan.changed.push(record.slug);
    }
    if (partial) return plan;
    for (const slug of keep) wanted.add(slug);
    const gone = this.#sql
      .exec<ArticleRow>('SELECT * FROM articles WHERE published IS NOT NULL')
      .toArray()
      .filter((row) => !wanted.has(row.slug));
    for (const row of gone) {
      if (row.origin === 'api') continue; // published through the API: files never retract it
      plan.removed.push(row.slug);
    }
    return plan;
  }
}
