/**
 * The event log's consumers, run by the alarm after the commit (and only once the KV projection
 * is complete; their deliveries are due a freshness bound later, so a subscriber or follower
 * that fetches what it is told of finds it at any reader): each
 * follows the log with its own cursor and expands events into its deliveries, in bounded
 * batches, each batch one transaction; then both queues send through one shared ConnectionPool.
 */
import { ConnectionPool } from '../connection-pool';
import type { Federation } from '../federation';
import type { Webhooks } from '../webhooks';
import type { EventLog } from './event-log';

/** Follower servers expanded per transaction, and per alarm run in all. */
export const EXPAND_BATCH = 500;
export const EXPAND_PER_RUN = 5_000;

export class Consumers {
  readonly #ctx: DurableObjectState;
  readonly #log: EventLog;
  readonly #webhooks: Webhooks;
  readonly #federation: Federation;

  constructor(ctx: DurableObjectState, log: EventLog, webhooks: Webhooks, federation: Federation) {
    this.#ctx = ctx;
    this.#log = log;
    this.#webhooks = webhooks;
    this.#federation = federation;
  }

  /**
   * Expands what the log holds beyond the cursors, up to EXPAND_PER_RUN servers, into deliveries
   * due at `dueAt`: a freshness bound after the version that holds them became readable, so
   * whoever is told of an object finds it at every reader (outbox.ts, docs/caching.md).
   */
  expand(dueAt = Date.now()): void {
    for (let batch = 0; batch < 10; batch++) {
      const more = this.#ctx.storage.transactionSync(() => {
        const cursor = this.#log.cursor('webhooks');
        const events = this.#log.after(cursor.seq, 100);
        this.#webhooks.expand(events, dueAt);
        const last = events.at(-1);
        if (last) this.#log.advance('webhooks', { seq: last.seq, after: null });
        return events.length === 100;
      });
      if (!more) break;
    }
    let budget = EXPAND_PER_RUN;
    while (budget > 0) {
      const more = this.#ctx.storage.transactionSync(() => {
        const cursor = this.#log.cursor('activitypub');
        const event = this.#log.after(cursor.seq, 1)[0];
        if (!event) return false;
        const limit = Math.min(EXPAND_BATCH, budget);
        const { count, after } = this.#federation.expand(event, cursor.after, limit, dueAt);
        budget -= Math.max(1, count);
        this.#log.advance(
          'activitypub',
          after === null ? { seq: event.seq, after: null } : { seq: cursor.seq, after },
        );
        return true;
      });
      if (!more) break;
    }
    this.#log.collect();
  }

  /** Whether events wait to be expanded (the alarm comes back at once). */
  pending(): boolean {
    return this.#log.pending();
  }

  /** Sends what is due in both queues, side by side, within one pool of connections. */
  async send(): Promise<void> {
    const pool = new ConnectionPool();
    const results = await Promise.allSettled([
      this.#webhooks.deliverDue(pool),
      this.#federation.deliverDue(pool),
    ]);
    for (const [i, result] of results.entries()) {
      if (result.status === 'rejected') {
        console.error(
          `alarm: ${i === 0 ? 'webhooks' : 'ActivityPub'} failed: ${String(result.reason)}`,
        );
      }
    }
  }
}
