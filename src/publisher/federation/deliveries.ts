/**
 * ActivityPub deliveries: one row per activity and inbox, recorded in the write's transaction
 * (none lost, none for a write that rolled back), sent by the Durable Object's alarm once the KV
 * projection is complete (a follower that fetches the object finds it), in parallel, each bounded
 * by timeoutFor (3 s at first, then 10 s), so a slow or dead server delays no publish and no other server.
 * Signed with the actor's RSA key as draft-cavage HTTP Signatures with a Digest (Fedify's
 * signRequest): what every Mastodon verifies. Retried as webhooks are (delivery-queue.ts) until a 2xx; a
 * 410 Gone removes the followers delivered there; at least once, as ActivityPub expects.
 */
import { signRequest } from '@fedify/fedify';
import type { ConnectionPool } from '../connection-pool';
import { DeliveryQueue, timeoutFor } from '../delivery-queue';
import type { StoredEvent } from '../site-writer/event-log';
import type { Followers } from './followers';
import type { SigningKeys } from './keys';
import { targetProblem } from './remote';

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
  readonly #queue: DeliveryQueue;
  readonly #followers: Followers;

  readonly #allowPrivate: () => boolean;

  constructor(
    sql: SqlStorage,
    followers: Followers,
    retryBaseMs: () => number,
    allowPrivate: () => boolean,
  ) {
    this.#allowPrivate = allowPrivate;
    this.#queue = new DeliveryQueue(
      sql,
      {
        table: 'ap_deliveries',
        id: 'activity_id',
        target: 'inbox',
        label: 'ActivityPub',
        reference: { column: 'event_seq', table: 'events', body: 'activity' },
      },
      retryBaseMs,
    );
    this.#followers = followers;
  }

  /** Queues `activity` for each inbox, its body copied (an Accept: one inbox). */
  record(activity: { id: string }, inboxes: readonly string[], now = Date.now()): void {
    this.#queue.record(activity.id, inboxes, JSON.stringify(activity), now);
  }

  /** Queues `event`'s activity for each inbox by reference: the body stays in the event. */
  recordReference(event: StoredEvent, inboxes: readonly string[], now = Date.now()): void {
    if (event.activity === null || inboxes.length === 0) return;
    const { id } = JSON.parse(event.activity) as { id: string };
    this.#queue.record(id, inboxes, '', now, event.seq);
  }

  nextAt(): number | undefined {
    return this.#queue.nextAt();
  }

  /** Nothing can be signed before `at` (the keys do not load): see DeliveryQueue.postpone. */
  postpone(at: number): void {
    this.#queue.postpone(at, 'no signing keys');
  }

  /** Sends every due delivery, signed with `keyId`'s key (delivery-queue.ts: parallel, retried). */
  async deliverDue(
    keys: SigningKeys,
    keyId: URL,
    pool: ConnectionPool,
    now = Date.now(),
  ): Promise<void> {
    await this.#queue.sendDue(
      pool,
      async (delivery) => {
        // Held again to the rules its Follow was: a follower's own server, at an address
        // deliveries may reach. A follower who left (or moved its inbox) is sent nothing.
        const refused =
          targetProblem(delivery.target, this.#allowPrivate()) ??
          (this.#followers.ownsInbox(delivery.target)
            ? undefined
            : 'no follower on that server takes deliveries there');
        if (refused) {
          console.log(`ActivityPub: ${delivery.id} to ${delivery.target} dropped: ${refused}`);
          return { ok: true };
        }
        const request = await signRequest(
          new Request(delivery.target, {
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
        // Never a redirect: its Location was never checked (a 3xx is a failed attempt).
        const res = await fetch(request, {
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutFor(delivery)),
        });
        await res.body?.cancel();
        if (res.status >= 300 && res.status < 400) {
          return { failure: `redirected (${res.status}); not followed` };
        }
        if (res.status === 410) {
          const removed = this.#followers.removeAt(delivery.target);
          console.log(
            `ActivityPub: ${delivery.target} is gone (410): ${removed} follower(s) removed`,
          );
          return { ok: true };
        }
        return res.ok ? { ok: true } : { failure: `answered ${res.status}` };
      },
      now,
    );
  }
}
