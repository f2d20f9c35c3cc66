/**
 * The publisher's outgoing deliveries (webhooks, ActivityPub): a queue in the Durable Object's
 * SQLite, one row per message and destination, sent by the alarm. A row carries its body, or
 * references one stored once (an ActivityPub activity in its event: a publish to 5,000 servers
 * is one body and 5,000 small rows, written after the commit). One retry rule for all: after the
 * base delay, then doubling, at most an hour apart, MAX_ATTEMPTS in all (about 3.4 hours with
 * the 10 s base), then given up and logged.
 *
 * Fair, so that a dead or slow server delays nobody else: each server sends its deliveries one
 * at a time, so one server never holds more than one connection, and all servers take turns at
 * the alarm's one ConnectionPool (six at once, shared with the other queue), each delivery
 * bounded (timeoutFor: 3 s at first, then 10 s); a failure moves every due delivery to that
 * server back with it, so a failing server never keeps its places at the front.
 */
import { describeError } from '../describe-error';
import type { ConnectionPool } from './connection-pool';

export const MAX_ATTEMPTS = 12;
const MAX_BACKOFF_MS = 3_600_000;

/** How long one delivery may take before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/**
 * A first attempt's bound: a healthy inbox answers in well under a second, and with six
 * connections for everyone, each slow server's wait is everyone's. A server that needs longer
 * gets DELIVERY_TIMEOUT_MS from its first retry on.
 */
export const FIRST_ATTEMPT_TIMEOUT_MS = 3_000;

/** The bound of attempt `attempts + 1`. */
export const timeoutFor = (delivery: { attempts: number }): number =>
  delivery.attempts === 0 ? FIRST_ATTEMPT_TIMEOUT_MS : DELIVERY_TIMEOUT_MS;

/** Due deliveries one run takes from a queue. */
export const SCAN_SIZE = 2_000;
/** After this, a run starts no new delivery (the alarm comes back for the rest). */
export const RUN_BUDGET_MS = 25_000;

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

  /** Due deliveries, oldest due first (SCAN_SIZE at most), grouped by server in that order. */
  #dueByServer(now: number): Delivery[][] {
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
    const servers = new Map<string, Delivery[]>();
    for (const row of rows) {
      const server = serverOf(row.target);
      const list = servers.get(server);
      if (list) list.push(row);
      else servers.set(server, [row]);
    }
    return [...servers.values()];
  }

  /**
   * Sends due deliveries with `send` (a throw is a failure); reschedules or gives up. A pipeline,
   * not batches: each server sends its deliveries one after another, all servers take turns at
   * `pool`'s connections, so a slow server holds one connection at a time and the others flow
   * past it; nothing new starts after `budgetMs`.
   */
  async sendDue(
    pool: ConnectionPool,
    send: (delivery: Delivery) => Promise<Outcome>,
    now = Date.now(),
    budgetMs = RUN_BUDGET_MS,
  ): Promise<void> {
    const stopAt = Date.now() + budgetMs;
    await Promise.all(
      this.#dueByServer(now).map(async (deliveries) => {
        for (const delivery of deliveries) {
          const ok = await pool.run(async () => {
            if (Date.now() > stopAt) return false;
            let outcome: Outcome;
            try {
              outcome = await send(delivery);
            } catch (error) {
              outcome = { failure: describeError(error) };
            }
            if ('ok' in outcome) this.#done(delivery.seq);
            else this.#failed(delivery.attempts + 1, outcome.failure, delivery);
            return 'ok' in outcome;
          });
          // A failed server's other deliveries wait with it (see #failed); a spent budget stops.
          if (!ok) return;
        }
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
