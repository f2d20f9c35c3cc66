/**
 * ActivityPub deliveries: one row per activity and inbox, recorded in the write's transaction
 * (none lost, none for a write that rolled back), sent by the Durable Object's alarm once the KV
 * projection is complete (a follower that fetches the object finds it), in parallel, each bounded
 * by DELIVERY_TIMEOUT_MS, so a slow or dead server delays no publish and no other server.
 * Signed with the actor's RSA key as draft-cavage HTTP Signatures with a Digest (Fedify's
 * signRequest): what every Mastodon verifies. Retried as webhooks are (retry.ts) until a 2xx; a
 * 410 Gone removes the followers delivered there; at least once, as ActivityPub expects.
 */
import { signRequest } from '@fedify/fedify';
import { describeError } from '../../describe-error';
import { backoffMs, DELIVERY_TIMEOUT_MS, MAX_ATTEMPTS } from '../retry';
import type { Followers } from './followers';
import type { SigningKeys } from './keys';

export const DELIVERIES_SCHEMA = `
CREATE TABLE IF NOT EXISTS ap_deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  activity_id TEXT NOT NULL,
  inbox TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS ap_deliveries_next ON ap_deliveries (next_at);`;

export class Deliveries {
  readonly #sql: SqlStorage;
  readonly #followers: Followers;
  readonly #retryBaseMs: () => number;

  constructor(sql: SqlStorage, followers: Followers, retryBaseMs: () => number) {
    this.#sql = sql;
    this.#followers = followers;
    this.#retryBaseMs = retryBaseMs;
  }

  /** Queues `activity` for each inbox; call inside the write's transaction. */
  record(activity: { id: string }, inboxes: readonly string[], now = Date.now()): void {
    const body = JSON.stringify(activity);
    for (const inbox of inboxes) {
      this.#sql.exec(
        'INSERT INTO ap_deliveries (activity_id, inbox, body, next_at) VALUES (?, ?, ?, ?)',
        activity.id,
        inbox,
        body,
        now,
      );
    }
  }

  nextAt(): number | undefined {
    const at = this.#sql
      .exec<{ at: number | null }>('SELECT MIN(next_at) AS at FROM ap_deliveries')
      .toArray()[0]?.at;
    return at ?? undefined;
  }

  /**
   * Moves every delivery due before `at` to `at` (nothing can be signed before then), counting
   * it as an attempt: keys that never load give up like any failure (logged), never loop.
   */
  postpone(at: number): void {
    this.#sql.exec(
      'UPDATE ap_deliveries SET next_at = ?1, attempts = attempts + 1, last_error = ?2 WHERE next_at < ?1',
      at,
      'no signing keys',
    );
    const dropped = this.#sql
      .exec('DELETE FROM ap_deliveries WHERE attempts >= ? RETURNING seq', MAX_ATTEMPTS)
      .toArray().length;
    if (dropped > 0) console.error(`ActivityPub: ${dropped} deliveries given up: no signing keys`);
  }

  /** How many are waiting (for the API's state and the tests). */
  pending(): number {
    return this.#sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM ap_deliveries').one().n;
  }

  /** Sends every due delivery, signed with `keyId`'s key; reschedules failures. */
  async deliverDue(keys: SigningKeys, keyId: URL, now = Date.now()): Promise<void> {
    const due = this.#sql
      .exec<{ seq: number; activity_id: string; inbox: string; body: string; attempts: number }>(
        'SELECT seq, activity_id, inbox, body, attempts FROM ap_deliveries WHERE next_at <= ? ORDER BY seq LIMIT 50',
        now,
      )
      .toArray();
    await Promise.all(
      due.map(async (delivery) => {
        let failure: string | undefined;
        try {
          const request = await signRequest(
            new Request(delivery.inbox, {
              method: 'POST',
              headers: {
                'Content-Type': 'application/activity+json',
                Accept: 'application/activity+json',
                'User-Agent': 'kvpress (ActivityPub)',
              },
              body: delivery.body,
            }),
            keys.rsa,
            keyId,
            { spec: 'draft-cavage-http-signatures-12' },
          );
          const res = await fetch(request, { signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
          await res.body?.cancel();
          if (res.status === 410) {
            const removed = this.#followers.removeAt(delivery.inbox);
            console.log(
              `ActivityPub: ${delivery.inbox} is gone (410): ${removed} follower(s) removed`,
            );
            return this.#done(delivery.seq);
          }
          if (!res.ok) failure = `answered ${res.status}`;
        } catch (error) {
          failure = describeError(error);
        }
        if (failure === undefined) return this.#done(delivery.seq);
        const attempts = delivery.attempts + 1;
        if (attempts >= MAX_ATTEMPTS) {
          console.error(
            `ActivityPub: ${delivery.activity_id} to ${delivery.inbox} given up after ${attempts} attempts: ${failure}`,
          );
          return this.#done(delivery.seq);
        }
        this.#sql.exec(
          'UPDATE ap_deliveries SET attempts = ?, next_at = ?, last_error = ? WHERE seq = ?',
          attempts,
          Date.now() + backoffMs(attempts, this.#retryBaseMs()),
          failure,
          delivery.seq,
        );
      }),
    );
  }

  #done(seq: number): void {
    this.#sql.exec('DELETE FROM ap_deliveries WHERE seq = ?', seq);
  }
}
