/**
 * The one commit path of every write (API PUT/DELETE, rollback, sync, the scheduled publish):
 * 1. isolated: the decision and the change run inside blockConcurrencyWhile, so no other
 *    request interleaves between reading the state and committing (hashing awaits, and an await
 *    would otherwise let a second write plan against the same state);
 * 2. atomic: the change and the index chunks it dirtied are one storage transaction, rolled back
 *    whole if anything in it throws;
 * 3. then, outside the critical section (other requests may run during KV I/O), one projection
 *    attempt (outbox.ts retries until KV matches) and the alarm armed for what waits next.
 */
import type { ProjectionState } from '../api-types';
import type { IndexChunks } from './index-chunks';
import type { Outbox } from './outbox';

/** A write's decision: nothing to write (`value` is the answer), or the change to commit. */
export type Decision<T> =
  | { write: false; value: T }
  | { write: true; change: () => T | Promise<T> };

export interface Committed<T> {
  value: T;
  written: boolean;
  /** The committed site version (what KV converges to). */
  version: string;
  /** How much the storage grew in the write's transaction (SQLite pages: a multiple of 4 KiB). */
  committedBytes: number;
  projection: ProjectionState;
}

export class Commit {
  readonly #ctx: DurableObjectState;
  readonly #index: IndexChunks;
  readonly #outbox: Outbox;
  readonly #arm: () => Promise<void>;

  constructor(
    ctx: DurableObjectState,
    index: IndexChunks,
    outbox: Outbox,
    arm: () => Promise<void>,
  ) {
    this.#ctx = ctx;
    this.#index = index;
    this.#outbox = outbox;
    this.#arm = arm;
  }

  /** Decides and commits one write; see the file's comment. */
  async run<T>(decide: () => Decision<T>): Promise<Committed<T>> {
    const outcome = await this.#ctx.blockConcurrencyWhile(async () => {
      const decision = decide();
      if (!decision.write) return { value: decision.value, written: false, committedBytes: 0 };
      const before = this.#ctx.storage.sql.databaseSize;
      const value = await this.#ctx.storage.transaction(async () => {
        const changed = await decision.change();
        // The changed index chunks, and the KV writes of this commit, queued in it.
        this.#outbox.enqueue(await this.#index.rebuild());
        await this.#outbox.armSafetyNet();
        return changed;
      });
      return { value, written: true, committedBytes: this.#ctx.storage.sql.databaseSize - before };
    });
    // The commit is durable: one projection attempt, which arms its own retries; then the
    // alarm for the rest (the earliest of all wins).
    const projection = outcome.written ? await this.#outbox.project() : this.#outbox.state();
    if (outcome.written) await this.#arm();
    return { ...outcome, version: this.#outbox.committedVersion(), projection };
  }
}
