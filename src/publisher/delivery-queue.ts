/**
 * The publisher's outgoing deliveries (webhooks, ActivityPub): a queue in the Durable Object's
 * SQLite, one row per message and destination, recorded in the write's transaction and sent by
 * the alarm. One retry rule for all: after the base delay, then doubling, at most an hour apart,
 * MAX_ATTEMPTS in all (about 3.4 hours with the 10 s base), then given up and logged. Each send
 * is bounded by DELIVERY_TIMEOUT_MS and all run in parallel: one slow destination delays no other.
 */
import { describeError } from '../describe-error';

export const MAX_ATTEMPTS = 12;
const MAX_BACKOFF_MS = 3_600_000;

/** How long one delivery may take before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** The wait before attempt `attempts + 1`, after `attempts` failures. */
export const backoffMs = (attempts: number, baseMs: number): number =>
  Math.min(baseMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);

/** A queue's table and its two named columns (the tables predate this class: their names stay). */
export interface QueueTable {
  /** Table with seq, <id>, <target>, body, attempts, next_at, last_error. */
  table: string;
  /** The message's id column: the same for every destination of one message. */
  id: string;
  /** The destination column (a URL). */
  target: string;
  /** Names the queue in log lines: `webhook`, `ActivityPub`. */
  label: string;
}

/** One due delivery. */
export type Delivery = {
  seq: number;
  id: string;
  target: string;
  body: string;
  attempts: number;
};

/** A send's outcome: delivered (or nothing left to deliver), or why it failed. */
export type Outcome = { ok: true } | { failure: string };

export class DeliveryQueue {
  readonly #sql: SqlStorage;
  readonly #names: QueueTable;
  readonly #retryBaseMs: () => number;

  constructor(sql: SqlStorage, names: QueueTable, retryBaseMs: () => number) {
    this.#sql = sql;
    this.#names = names;
    this.#retryBaseMs = retryBaseMs;
  }

  /** Queues `body` for each destination; call inside the write's transaction. */
  record(id: string, targets: readonly string[], body: string, now = Date.now()): void {
    const { table, id: idColumn, target } = this.#names;
    for (const destination of targets) {
      this.#sql.exec(
        `INSERT INTO ${table} (${idColumn}, ${target}, body, next_at) VALUES (?, ?, ?, ?)`,
        id,
        destination,
        body,
        now,
      );
    }
  }

  /** When the next delivery is due, if any is pending. */
  nextAt(): number | undefined {
    const at = this.#sql
      .exec<{ at: number | null }>(`SELECT MIN(next_at) AS at FROM ${this.#names.table}`)
      .toArray()[0]?.at;
    return at ?? undefined;
  }

  /** Sends every due delivery with `send` (a throw is a failure); reschedules or gives up. */
  async sendDue(send: (delivery: Delivery) => Promise<Outcome>, now = Date.now()): Promise<void> {
    const { table, id, target } = this.#names;
    const due = this.#sql
      .exec<Delivery>(
        `SELECT seq, ${id} AS id, ${target} AS target, body, attempts FROM ${table} WHERE next_at <= ? ORDER BY seq LIMIT 50`,
        now,
      )
      .toArray();
    await Promise.all(
      due.map(async (delivery) => {
        let outcome: Outcome;
        try {
          outcome = await send(delivery);
        } catch (error) {
          outcome = { failure: describeError(error) };
        }
        if ('ok' in outcome) this.#done(delivery.seq);
        else this.#failed(delivery.attempts + 1, outcome.failure, delivery);
      }),
    );
  }

  /**
   * Moves every delivery due before `at` to `at` (nothing can be sent before then), counting it
   * as an attempt: a cause that never clears gives up like any failure, never loops.
   */
  postpone(at: number, why: string): void {
    const { table } = this.#names;
    this.#sql.exec(
      `UPDATE ${table} SET next_at = ?1, attempts = attempts + 1, last_error = ?2 WHERE next_at < ?1`,
      at,
      why,
    );
    const dropped = this.#sql
      .exec(`DELETE FROM ${table} WHERE attempts >= ? RETURNING seq`, MAX_ATTEMPTS)
      .toArray().length;
    if (dropped > 0) console.error(`${this.#names.label}: ${dropped} deliveries given up: ${why}`);
  }

  #failed(attempts: number, failure: string, { seq, id, target }: Delivery): void {
    if (attempts >= MAX_ATTEMPTS) {
      console.error(
        `${this.#names.label} ${id} to ${target} given up after ${attempts} attempts: ${failure}`,
      );
      this.#done(seq);
      return;
    }
    this.#sql.exec(
      `UPDATE ${this.#names.table} SET attempts = ?, next_at = ?, last_error = ? WHERE seq = ?`,
      attempts,
      Date.now() + backoffMs(attempts, this.#retryBaseMs()),
      failure,
      seq,
    );
  }

  #done(seq: number): void {
    this.#sql.exec(`DELETE FROM ${this.#names.table} WHERE seq = ?`, seq);
  }
}
