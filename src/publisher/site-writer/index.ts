/**
 * The site's one writer: a Durable Object (SQLite storage), one named instance per site, that
 * holds the truth (articles, revisions, drafts, schedules, previews, followers, deliveries, the
 * index) and projects it to KV for the readers. This file is its RPC surface and its alarm; the
 * work is in the files beside it: schema.ts (versioned migrations), rows.ts (validated reads),
 * planning.ts (pure decisions), changes.ts (what a write changes), commit.ts (the one commit
 * path: isolated, atomic, then projected and armed), editorial.ts (each article write authorized
 * by guard.ts, decided, committed, audited), people-surface.ts (the base class: people's RPCs),
 * events.ts, preview-links.ts, outbox.ts (the KV projection), index-chunks.ts, alarm.ts.
 */
import type { ArticleRecord } from '../../articles/schema';
import { describeError } from '../../describe-error';
import type {
  ArticleState,
  FileRecord,
  Origin,
  ProjectionState,
  Revision,
  Scheduled,
  WriteResult,
} from '../api-types';
import { type PublisherConfig, publisherConfig } from '../config';
import { Federation, type Follower, type Receipt } from '../federation';
import type { Caller } from '../people/directory';
import { Webhooks } from '../webhooks';
import { Alarm } from './alarm';
import { Changes } from './changes';
import { Commit } from './commit';
import { Consumers } from './consumers';
import { Editorial } from './editorial';
import { EventLog } from './event-log';
import { Events } from './events';
import { Guard, type Refused } from './guard';
import { IndexChunks } from './index-chunks';
import { Outbox } from './outbox';
import { PeopleSurface } from './people-surface';
import type { Conditions } from './preconditions';
import { PreviewLinks } from './preview-links';
import { articleState, type Listed, listArticles, scheduledArticles } from './reads';
import { Rows } from './rows';
import { VersionReads, type VersionReadsReport } from './version-reads';
import { type SyncOptions, Writes } from './writes';

export { REVISIONS_KEPT } from './rows';

export class SiteWriter extends PeopleSurface {
  readonly #rows: Rows;
  readonly #index: IndexChunks;
  readonly #outbox: Outbox;
  readonly #webhooks: Webhooks;
  readonly #federation: Federation;
  readonly #consumers: Consumers;
  readonly #alarm: Alarm;
  readonly #changes: Changes;
  readonly #previews: PreviewLinks;
  readonly #editorial: Editorial;
  readonly #versionReads = new VersionReads();

  constructor(ctx: DurableObjectState, env: PublisherBindings) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    this.#rows = new Rows(sql);
    this.#index = new IndexChunks(sql);
    this.#alarm = new Alarm(ctx.storage);
    this.#outbox = new Outbox(
      ctx,
      () => this.env.ARTICLES,
      () => this.#config(),
      this.#alarm,
    );
    this.#webhooks = new Webhooks(
      sql,
      () => this.#config().webhooks,
      () => this.#config().webhookRetryMs,
    );
    this.#federation = new Federation(sql, () => {
      const { siteUrl, siteLang, webhookRetryMs, activityPub } = this.#config();
      return {
        allowPrivate: activityPub.allowPrivate,
        origin: siteUrl,
        siteLang,
        ...(activityPub.privateKeys ? { privateKeys: activityPub.privateKeys } : {}),
        ...(activityPub.publicKeys ? { publicKeys: activityPub.publicKeys } : {}),
        retryBaseMs: webhookRetryMs,
      };
    });
    const log = new EventLog(sql);
    const events = new Events(log, this.#federation);
    this.#consumers = new Consumers(ctx, log, this.#webhooks, this.#federation);
    this.#changes = new Changes(this.#rows, this.#index, this.#outbox, events);
    const commit = new Commit(ctx, this.#index, this.#outbox, () => this.#armSchedule());
    this.#previews = new PreviewLinks(sql, this.#rows);
    const writes = new Writes(this.#rows, this.#changes);
    const guard = new Guard(sql, this.directory, this.audit);
    this.#editorial = new Editorial(this.#rows, writes, commit, guard, this.#previews);
  }

  /**
   * The settings (config.ts), read from `this.env` each time (cached per bindings object): the
   * Worker answers 503 before a request reaches this object with bad ones, so here they throw.
   */
  #config(): PublisherConfig {
    return publisherConfig(this.env);
  }

  // ---- reads -------------------------------------------------------------------------------

  /** Every article the site knows (published, draft, or removed with revisions kept). */
  list(): { version: string; articles: Listed[] } {
    return { version: this.#outbox.committedVersion(), articles: listArticles(this.#rows) };
  }

  /** Articles waiting for their `publishAt`, soonest first. */
  schedule(): Scheduled[] {
    return scheduledArticles(this.#rows);
  }

  get(slug: string): ArticleState | null {
    return articleState(this.#rows, slug);
  }

  revisions(slug: string): Revision[] {
    return this.#rows.revisions(slug);
  }

  /** A private preview link's article (preview-links.ts). */
  preview(
    tokenHash: string,
    now = Date.now(),
  ): { record: ArticleRecord; expiresAt: string; pending: boolean } | null {
    return this.#previews.open(tokenHash, now);
  }

  /** Stores a new preview link for `slug` (by its token's hash): editors and admins. */
  createPreview(
    caller: Caller,
    slug: string,
    tokenHash: string,
    expiresAt: number,
  ): Refused | boolean {
    return this.#editorial.createPreview(caller, slug, tokenHash, expiresAt);
  }

  /** Revokes every preview link of `slug`; how many were live (null: no such article). */
  revokePreviews(caller: Caller, slug: string): Refused | number | null {
    return this.#editorial.revokePreviews(caller, slug);
  }

  projection(): ProjectionState {
    return this.#outbox.state();
  }

  /**
   * The version readers are told is current (every key of it is in KV) and its commit: one row,
   * read between a write's steps, never behind a write's KV I/O. Counted per asker.
   */
  readable(location = 'unknown', isolate = 'unknown'): { version: string; seq: number } {
    this.#versionReads.record(location, isolate);
    const { version, seq } = this.#outbox.readable();
    return { version, seq };
  }

  /** The projection and who asked for the current version in the last minute (GET /api/status). */
  status(): { projection: ProjectionState; versionReads: VersionReadsReport } {
    return { projection: this.#outbox.state(), versionReads: this.#versionReads.report() };
  }

  // ---- writes: each authorized, decided and committed by editorial.ts -----------------------

  /** Publishes (or stores as a draft, or schedules) one article; see Editorial.put. */
  put(
    caller: Caller,
    record: ArticleRecord,
    origin: Origin,
    conditions: Conditions = {},
    source?: string,
  ): Promise<WriteResult> {
    return this.#editorial.put(caller, record, origin, conditions, source);
  }

  /** Retracts a published article, or discards a draft (revisions are kept for rollback). */
  remove(caller: Caller, slug: string, origin: Origin, conditions: Conditions = {}) {
    return this.#editorial.remove(caller, slug, origin, conditions);
  }

  /** Publishes an earlier revision again: `to` (a number or hash), by default the one before. */
  rollback(caller: Caller, slug: string, to?: string, conditions: Conditions = {}) {
    return this.#editorial.rollback(caller, slug, to, conditions);
  }

  /** Moves a draft to review: a contributor's (their own) or anyone's above. */
  submit(caller: Caller, slug: string): Promise<WriteResult> {
    return this.#editorial.submit(caller, slug);
  }

  /** Makes the site match the `content/` files, authorized per article; `dryRun` plans only. */
  sync(caller: Caller, files: readonly FileRecord[], options: SyncOptions = {}) {
    return this.#editorial.sync(caller, files, options);
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

  /**
   * One alarm for everything the site waits for: scheduled articles whose time has come are
   * published (through the same commit path as any write), then projection retries and garbage
   * collection, then deliveries; each re-arms for what it waits for next (the earliest wins).
   */
  override async alarm(): Promise<void> {
    await this.#alarm.handle(async () => {
      // Each duty on its own: one that fails (logged) never stops the others or the re-arming.
      const duties: [string, () => Promise<void>][] = [
        ['scheduled publishing', () => this.#editorial.publishDue(Date.now())],
        ['KV projection', () => this.#outbox.onAlarm()],
        // Deliveries tell of what readers can already see: only once KV matches the commits.
        // Events expand and deliveries go out only once KV matches the commits: they tell of
        // what readers can already see. Both queues send side by side (consumers.ts).
        [
          'deliveries',
          async () => {
            if (!this.#outbox.state().complete) return;
            this.#consumers.expand(this.#outbox.readable().at + this.#config().announceAfterMs);
            await this.#consumers.send();
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

  /**
   * Arms the alarm for the earliest scheduled article or delivery, unless it is already armed
   * earlier (the outbox arms its own retries the same way).
   */
  async #armSchedule(): Promise<void> {
    // Deliveries wait for a complete projection: until then the outbox's retry alarm comes first
    // and the deliveries follow in that alarm (never an alarm that fires again at once).
    const complete = this.#outbox.state().complete;
    const times = [
      this.#rows.nextScheduled(),
      complete ? this.#webhooks.nextAt() : undefined,
      complete ? this.#federation.deliveries.nextAt() : undefined,
      // Events not yet expanded: at once.
      complete && this.#consumers.pending() ? Date.now() : undefined,
    ].filter((t): t is number => t !== undefined);
    if (times.length === 0) return;
    await this.#alarm.request(Math.max(Math.min(...times), Date.now()));
  }
}
