/**
 * The KV projection of what the Durable Object committed: an outbox in its SQLite storage,
 * drained in the order no reader can observe half of (content keys, then the index head, then
 * the one pointer), retried by the alarm until KV matches, and a collector for the immutable keys
 * a commit superseded.
 *
 * - Content keys (article records, index chunks) are immutable and content-addressed: writing
 *   them early or twice is harmless. The head and the pointer are written only once the outbox
 *   is empty, so the pointer never names a key KV does not hold yet.
 * - The pointer (`v1:version`) is the only key written more than once. It is written at most once
 *   per second (KV's limit per key): commits that come faster are coalesced into the next write,
 *   which names the newest committed version (the alarm fires when the second is up).
 * - A superseded key is deleted GC grace seconds after the pointer stops naming it. A reader can
 *   hold an old version for VERSION_MAX_AGE_MS (2 s), or, while the publisher cannot be reached,
 *   the pointer's KV cacheTtl (30 s) + KV's
 *   propagation to other locations (up to about 60 s): about 95 s. The default grace, one hour,
 *   is far longer. Old revisions live in SQLite (rollback reads them there), not in KV.
 */
import { VERSION_KEY } from '../../articles/keys';
import { describeError } from '../../describe-error';
import type { ProjectionState, Settings } from '../api-types';
import type { Alarm } from './alarm';
import type { IndexChanges, KvEntry } from './index-chunks';
import { parseReadable, type Readable } from './readable';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS garbage (
  key TEXT PRIMARY KEY,
  commit_seq INTEGER NOT NULL,
  due INTEGER
);
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);`;

export type { ProjectionState };

/** The part of KVNamespace the outbox writes with. */

export interface KvWriter {
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Writes in flight at once: a batch of content keys. */
const BATCH = 64;
const MAX_BACKOFF_MS = 5 * 60_000;
const SAFETY_NET_MS = 10_000;

export class Outbox {
  readonly #alarm: Alarm;
  readonly #sql: SqlStorage;
  readonly #kv: () => KvWriter;
  readonly #settings: () => Settings;
  #running: Promise<ProjectionState> | undefined;
  #written = { keys: 0, bytes: 0 };

  /** @param kv the namespace to write, read at each write (tests swap in a failing one) */
  constructor(ctx: DurableObjectState, kv: () => KvWriter, settings: () => Settings, alarm: Alarm) {
    this.#alarm = alarm;
    this.#sql = ctx.storage.sql;
    this.#kv = kv;
    this.#settings = settings;
    this.#sql.exec(SCHEMA);
  }

  #meta(name: string): string | undefined {
    return this.#sql
      .exec<{ value: string }>('SELECT value FROM meta WHERE name = ?', name)
      .toArray()[0]?.value;
  }

  #setMeta(name: string, value: string): void {
    this.#sql.exec(
      'INSERT INTO meta (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = ?2',
      name,
      value,
    );
  }

  #commitSeq(): number {
    return Number(this.#meta('commit') ?? '0');
  }

  committedVersion(): string {
    return this.#meta('version') ?? 'unpublished';
  }

  /**
   * The newest version whose every key is in KV: what readers are told is current (the reader's
   * version source), with its commit number (readers never go back to a lower one) and when it
   * became readable (deliveries announce it only a freshness bound later: consumers.ts).
   */
  readable(): Readable {
    return parseReadable(this.#meta('readable'));
  }

  #setReadable(readable: Readable): void {
    this.#setMeta('readable', JSON.stringify(readable));
  }

  /** Queues an immutable key (no longer garbage, if it was). */
  enqueueContent(entry: KvEntry): void {
    this.#sql.exec('DELETE FROM garbage WHERE key = ?', entry.key);
    this.#sql.exec('INSERT INTO outbox (key, value) VALUES (?, ?)', entry.key, entry.value);
  }

  /** Marks a key superseded by the commit in progress (deleted after the grace period). */
  collect(key: string): void {
    this.#sql.exec(
      `INSERT INTO garbage (key, commit_seq, due) VALUES (?1, ?2, NULL)
       ON CONFLICT (key) DO UPDATE SET commit_seq = ?2, due = NULL`,
      key,
      this.#commitSeq() + 1,
    );
  }

  /** Ends a commit: its index chunks and head, in the same transaction as the state. */
  enqueue(changes: IndexChanges): void {
    for (const chunk of changes.chunks) this.enqueueContent(chunk);
    const previous = this.#meta('head');
    const previousKey = previous ? (JSON.parse(previous) as KvEntry).key : undefined;
    if (previousKey && previousKey !== changes.head.key) this.collect(previousKey);
    for (const key of changes.superseded) this.collect(key);
    this.#sql.exec('DELETE FROM garbage WHERE key = ?', changes.head.key);
    this.#setMeta('commit', String(this.#commitSeq() + 1));
    this.#setMeta('version', changes.version);
    this.#setMeta('head', JSON.stringify(changes.head));
  }

  /**
   * A safety net set with every commit: if this object stops before its drain ends (a deploy,
   * an eviction), the alarm still brings KV up to date. A drain that completes moves it on.
   */
  async armSafetyNet(): Promise<void> {
    await this.#alarm.request(Date.now() + SAFETY_NET_MS);
  }

  state(): ProjectionState {
    const committed = this.committedVersion();
    const projected = this.#meta('projected') ?? null;
    const pending = this.#sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').one().n;
    const complete = pending === 0 && (committed === projected || this.#meta('head') === undefined);
    const lastError = complete ? undefined : this.#meta('error');
    const retry = complete ? undefined : this.#meta('retry_at');
    return {
      committed,
      projected,
      complete,
      pending,
      written: { ...this.#written },
      ...(lastError ? { lastError } : {}),
      ...(retry ? { retryAt: new Date(Number(retry)).toISOString() } : {}),
    };
  }

  /**
   * Drains the outbox now. Drains and garbage collection run one at a time, chained (this
   * object's own I/O, not a request's): a caller's commit is always seen by its drain, and a key
   * a commit re-queues is never deleted by a collection still in flight.
   */
  project(): Promise<ProjectionState> {
    return this.#serially(() => this.#drain());
  }

  async onAlarm(): Promise<void> {
    await this.project();
    await this.#serially(async () => {
      try {
        await this.#collectGarbage();
      } catch (error) {
        console.error(
          `garbage collection failed (retried by the next alarm): ${describeError(error)}`,
        );
      }
      await this.#schedule();
      return this.state();
    });
  }

  #serially(work: () => Promise<ProjectionState>): Promise<ProjectionState> {
    // A failed step never blocks the ones after it.
    const next = (this.#running ?? Promise.resolve(undefined)).catch(() => undefined).then(work);
    this.#running = next;
    return next;
  }

  async #drain(): Promise<ProjectionState> {
    this.#written = { keys: 0, bytes: 0 };
    const put = async (key: string, value: string) => {
      await this.#kv().put(key, value);
      this.#written.keys += 1;
      this.#written.bytes += key.length + value.length;
    };
    try {
      for (;;) {
        const rows = this.#sql
          .exec<{ seq: number; key: string; value: string }>(
            'SELECT seq, key, value FROM outbox ORDER BY seq LIMIT ?',
            BATCH,
          )
          .toArray();
        if (rows.length > 0) {
          await Promise.all(rows.map((row) => put(row.key, row.value)));
          this.#sql.exec('DELETE FROM outbox WHERE seq <= ?', rows.at(-1)?.seq ?? 0);
          continue;
        }
        // Outbox empty: read the committed version in this same synchronous step, so no commit
        // can slip in between "all its content is written" and "name it".
        const version = this.committedVersion();
        const commit = this.#commitSeq();
        const head = this.#meta('head');
        if (!head) break;
        if (this.readable().seq < commit) {
          // The head is immutable too (its key names its version): once written, every key of
          // this version is in KV, and readers may learn the version from this object at once
          // (readable(): the freshness bound is the readers', not the pointer's 1 s pace).
          const entry = JSON.parse(head) as KvEntry;
          await put(entry.key, entry.value);
          this.#setReadable({ version, seq: commit, at: Date.now() });
        }
        if (version === this.#meta('projected')) break;
        const since = Date.now() - Number(this.#meta('pointer_at') ?? '0');
        const interval = this.#settings().pointerIntervalMs;
        if (since < interval) {
          // Coalesce: the alarm writes the newest version when the second is up.
          this.#setMeta('retry_at', String(Date.now() + interval - since));
          break;
        }
        // If this write fails after KV took it, "projected" must not still claim the old version
        // (a later commit back to that version would then skip the pointer write).
        this.#sql.exec("DELETE FROM meta WHERE name = 'projected'");
        await put(VERSION_KEY, JSON.stringify({ version, seq: commit }));
        const now = Date.now();
        this.#setMeta('projected', version);
        this.#setMeta('pointer_at', String(now));
        // Keys superseded up to this commit are now unreachable from the pointer: start their grace.
        this.#sql.exec(
          'UPDATE garbage SET due = ? WHERE due IS NULL AND commit_seq <= ?',
          now + this.#settings().gcGraceSeconds * 1000,
          commit,
        );
      }
      this.#sql.exec("DELETE FROM meta WHERE name IN ('error', 'failures')");
    } catch (error) {
      const failures = Number(this.#meta('failures') ?? '0') + 1;
      const delay = Math.min(1000 * 2 ** (failures - 1), MAX_BACKOFF_MS);
      console.error(`projection to KV failed (attempt ${failures}): ${describeError(error)}`);
      this.#setMeta('failures', String(failures));
      this.#setMeta('error', describeError(error));
      this.#setMeta('retry_at', String(Date.now() + delay));
    }
    try {
      await this.#schedule();
    } catch (error) {
      console.error(`setting the alarm failed: ${describeError(error)}`);
    }
    return this.state();
  }

  /** Deletes the superseded keys whose grace is over (at most 1,000 per alarm). */
  async #collectGarbage(): Promise<void> {
    for (let deleted = 0; deleted < 1000; deleted += BATCH) {
      // Chosen afresh for every batch: a commit during the last batch may have re-queued a key.
      const batch = this.#sql
        .exec<{ key: string }>(
          'SELECT key FROM garbage WHERE due IS NOT NULL AND due <= ? ORDER BY due LIMIT ?',
          Date.now(),
          BATCH,
        )
        .toArray();
      if (batch.length === 0) return;
      await Promise.all(batch.map(({ key }) => this.#kv().delete(key)));
      for (const { key } of batch) {
        this.#sql.exec('DELETE FROM garbage WHERE key = ? AND due IS NOT NULL', key);
      }
    }
  }

  /** One alarm for everything: the next retry or pointer write, else the next garbage due. */
  async #schedule(): Promise<void> {
    const state = this.state();
    const times: number[] = [];
    if (!state.complete) times.push(Number(this.#meta('retry_at') ?? Date.now() + 1000));
    else this.#sql.exec("DELETE FROM meta WHERE name = 'retry_at'");
    const next = this.#sql
      .exec<{ due: number | null }>('SELECT MIN(due) AS due FROM garbage WHERE due IS NOT NULL')
      .one().due;
    if (next !== null) times.push(next);
    if (times.length === 0) return;
    await this.#alarm.request(Math.min(...times));
  }
}
