/**
 * The publisher's outgoing deliveries (webhooks, ActivityPub): a queue in the Durable Object's
 * SQLite, one row per message and destination, sent by the alarm. A row carries its body, or
 * references one stored once (an ActivityPub activity in its event: a publish to 5,000 servers
 * is one body and 5,000 small rows, written after the commit). One retry rule for all: after the
 * base delay, then doubling, at most an hour apart, MAX_ATTEMPTS in all (about 3.4 hours with
 * the 10 s base), then given up and logged.
 *
 * Fair, so that a dead or slow server delays nobody else: a run sends at most one delivery per
 * destination server (its others wait for the next run, so one server never fills the
 * connections), all through the alarm's one ConnectionPool (six at once, shared with the other
 * queue), each bounded by DELIVERY_TIMEOUT_MS; a failure moves every due delivery to that server
 * back with it, so a failing server never keeps its places at the front.
 */
import { describeError } from '../describe-error';
import type { ConnectionPool } from './connection-pool';

export const MAX_ATTEMPTS = 12;
const MAX_BACKOFF_MS = 3_600_000;

/** How long one delivery may take before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** Deliveries one run takes from a queue (at most one per server). */
export const RUN_SIZE = 60;
/** Due rows a run looks through to find RUN_SIZE distinct servers. */
const SCAN_SIZE = 1_000;

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
  /** Where a row's body is when it is stored once: `<column>` names a row of `<table>`. */
  reference?: { column: string; table: string; body: string };
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

/** The server a destination is on: fairness is per server (an origin). */
const serverOf = (target: string) => URL.parse(target)?.origin ?? target;

export class DeliveryQueue {
  readonly #sql: SqlStorage;
  readonly #names: QueueTable;
  readonly #retryBaseMs: () => number;

  constructor(sql: SqlStorage, names: QueueTable, retryBaseMs: () => number) {
    this.#sql = sql;
    this.#names = names;
    this.#retryBaseMs = retryBaseMs;
  }

  /** Queues `body` (or, with `reference`, the referenced body) for each destination. */
  record(
    id: string,
    targets: readonly string[],
    body: string,
    now = Date.now(),
    reference?: number,
  ): void {
    const { table, id: idColumn, target } = this.#names;
    const ref = this.#names.reference;
    for (const destination of targets) {
      if (ref && reference !== undefined) {
        this.#sql.exec(
          `INSERT INTO ${table} (${idColumn}, ${target}, body, next_at, ${ref.column}) VALUES (?, ?, '', ?, ?)`,
          id,
          destination,
          now,
          reference,
        );
      } else {
        this.#sql.exec(
          `INSERT INTO ${table} (${idColumn}, ${target}, body, next_at) VALUES (?, ?, ?, ?)`,
          id,
          destination,
          body,
          now,
        );
      }
    }
  }

  /** When the next delivery is due, if any is pending. */
  nextAt(): number | undefined {
    const at = this.#sql
      .exec<{ at: number | null }>(`SELECT MIN(next_at) AS at FROM ${this.#names.table}`)
      .toArray()[0]?.at;
    return at ?? undefined;
  }

  /** How many deliveries wait (due or not). */
  size(): number {
    return this.#sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${this.#names.table}`).one().n;
  }

  /** Due deliveries, oldest due first, at most one per server and RUN_SIZE in all. */
  #due(now: number): Delivery[] {
    const { table, id, target, reference: ref } = this.#names;
    const body = ref ? `COALESCE(r.${ref.body}, d.body)` : 'd.body';
    const join = ref ? `LEFT JOIN ${ref.table} r ON r.seq = d.${ref.column}` : '';
    const rows = this.#sql
      .exec<Delivery>(
        `SELECT d.seq AS seq, d.${id} AS id, d.${target} AS target, ${body} AS body, d.attempts AS attempts
         FROM ${table} d ${join} WHERE d.next_at <= ? ORDER BY d.next_at, d.seq LIMIT ?`,
        now,
        SCAN_SIZE,
      )
      .toArray();
    const servers = new Set<string>();
    const picked: Delivery[] = [];
    for (const row of rows) {
      const server = serverOf(row.target);
      if (servers.has(server)) continue;
      servers.add(server);
      picked.push(row);
      if (picked.length >= RUN_SIZE) break;
    }
    return picked;
  }

  /** Sends due deliveries with `send` through `pool` (a throw is a failure); reschedules or gives up. */
  async sendDue(
    pool: ConnectionPool,
    send: (delivery: Delivery) => Promise<Outcome>,
    now = Date.now(),
  ): Promise<void> {
    await Promise.all(
      this.#due(now).map((delivery) =>
        pool.run(async () => {
          let outcome: Outcome;
          try {
            outcome = await send(delivery);
          } catch (error) {
            outcome = { failure: describeError(error) };
          }
          if ('ok' in outcome) this.#done(delivery.seq);
          else this.#failed(delivery.attempts + 1, outcome.failure, delivery);
        }),
      ),
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
    const { table, target: targetColumn } = this.#names;
    if (attempts >= MAX_ATTEMPTS) {
      console.error(
        `${this.#names.label} ${id} to ${target} given up after ${attempts} attempts: ${failure}`,
      );
      this.#done(seq);
      return;
    }
    const next = Date.now() + backoffMs(attempts, this.#retryBaseMs());
    this.#sql.exec(
      `UPDATE ${table} SET attempts = ?, next_at = ?, last_error = ? WHERE seq = ?`,
      attempts,
      next,
      failure,
      seq,
    );
    // The server's other deliveries wait with it: it keeps no places at the front.
    this.#sql.exec(
      `UPDATE ${table} SET next_at = ?1 WHERE ${targetColumn} = ?2 AND next_at < ?1`,
      next,
      target,
    );
  }

  #done(seq: number): void {
    this.#sql.exec(`DELETE FROM ${this.#names.table} WHERE seq = ?`, seq);
  }
}
