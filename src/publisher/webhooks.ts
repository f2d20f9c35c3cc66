/**
 * Webhooks: what changed on the site, told to subscribers (WEBHOOKS: a JSON list of
 * `{ "url": "https://…", "secret": "…" }`, a secret), the way Stripe and GitHub do it.
 *
 * - Events: `article.published`, `article.updated`, `article.unpublished`, `article.scheduled`,
 *   recorded in the same transaction as the write that makes them (site-writer/event-log.ts:
 *   none is lost, none is told of a write that rolled back), then expanded by this consumer into
 *   one delivery per subscriber.
 * - Delivered by the Durable Object's alarm, never by the write itself, and only once the KV
 *   projection is complete, so a subscriber that fetches the URL it is told of finds it (within
 *   the readers' freshness bound). A slow or failing subscriber never delays or fails a publish.
 * - Signed: `Kvpress-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 *   Receivers check the HMAC and that t is recent; `Kvpress-Event-Id` (also the body's `id`)
 *   de-duplicates: delivery is at least once.
 * - Retried until a 2xx: after 10 s, then doubling up to an hour between attempts; after
 *   MAX_ATTEMPTS (about 3.4 hours in all) the delivery is given up and logged.
 */

import type { Subscriber } from './config';
import type { ConnectionPool } from './connection-pool';
import { DeliveryQueue, timeoutFor } from './delivery-queue';
import type { StoredEvent } from './site-writer/event-log';

export type { EventType } from './site-writer/event-log';

export const WEBHOOK_SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  url TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_next ON webhook_deliveries (next_at);`;

async function sign(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign(
    'HMAC',
    key,
    new TextEncoder().encode(`${timestamp}.${body}`),
  );
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('');
}

export class Webhooks {
  readonly #queue: DeliveryQueue;
  readonly #subscribers: () => Subscriber[];

  constructor(sql: SqlStorage, subscribers: () => Subscriber[], retryBaseMs: () => number) {
    this.#queue = new DeliveryQueue(
      sql,
      { table: 'webhook_deliveries', id: 'event_id', target: 'url', label: 'webhook' },
      retryBaseMs,
    );
    this.#subscribers = subscribers;
  }

  /** The consumer's step: each event, one delivery per subscriber (there are few). */
  expand(events: readonly StoredEvent[], now = Date.now()): void {
    const subscribers = this.#subscribers();
    if (subscribers.length === 0) return;
    for (const event of events) {
      const body = JSON.stringify({
        id: event.id,
        type: event.type,
        createdAt: new Date(event.created_at).toISOString(),
        data: JSON.parse(event.data) as unknown,
      });
      this.#queue.record(
        event.id,
        subscribers.map((s) => s.url),
        body,
        now,
      );
    }
  }

  /** When the next delivery is due, if any is pending. */
  nextAt(): number | undefined {
    return this.#queue.nextAt();
  }

  /** Sends every due delivery (delivery-queue.ts: in parallel, bounded, retried). */
  async deliverDue(pool: ConnectionPool, now = Date.now()): Promise<void> {
    const secrets = new Map(this.#subscribers().map((s) => [s.url, s.secret]));
    await this.#queue.sendDue(
      pool,
      async (delivery) => {
        const secret = secrets.get(delivery.target);
        // The subscriber was removed from WEBHOOKS: nothing to send it any more.
        if (secret === undefined) return { ok: true };
        const timestamp = Math.floor(Date.now() / 1000);
        const res = await fetch(delivery.target, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'kvpress-webhooks',
            'Kvpress-Event-Id': delivery.id,
            'Kvpress-Signature': `t=${timestamp},v1=${await sign(secret, timestamp, delivery.body)}`,
          },
          body: delivery.body,
          // A subscriber's URL is the operator's; where it redirects was never checked.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutFor(delivery)),
        });
        await res.body?.cancel();
        return res.ok ? { ok: true } : { failure: `answered ${res.status}` };
      },
      now,
    );
  }
}
