/**
 * Fairness of the delivery queue (src/publisher/delivery-queue.ts), with the send injected: a
 * slow server holds one connection and nobody waits for it; a failing server keeps no places
 * at the front. A design that sent in batches and waited for each batch would never finish
 * here (the slow send is released only once every other server has been served).
 */

import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../src/publisher/connection-pool';
import { type Delivery, DeliveryQueue, type Outcome } from '../../src/publisher/delivery-queue';
import type { SiteWriter } from '../../src/publisher/site-writer';
import { siteObject } from '../support/publisher';

const TABLE = {
  table: 'fairness_queue',
  id: 'message',
  target: 'target',
  label: 'test',
};

/** A queue in a scratch table of the site's own SQLite, fresh for each test. */
function withQueue(run: (queue: DeliveryQueue, sql: SqlStorage) => Promise<void>): Promise<void> {
  return runInDurableObject(siteObject(), async (_i: SiteWriter, state) => {
    const sql = state.storage.sql;
    sql.exec(`DROP TABLE IF EXISTS ${TABLE.table}`);
    sql.exec(
      `CREATE TABLE ${TABLE.table} (seq INTEGER PRIMARY KEY AUTOINCREMENT, message TEXT, target TEXT,
       body TEXT, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, last_error TEXT)`,
    );
    try {
      await run(new DeliveryQueue(sql, TABLE, () => 10_000), sql);
    } finally {
      sql.exec(`DROP TABLE ${TABLE.table}`);
    }
  });
}

const inboxes = (servers: number) =>
  Array.from({ length: servers }, (_, i) => `https://s${i}.example/inbox`);

describe('the delivery queue is fair', () => {
  it('a slow server holds one connection; every other server is served past it', async () => {
    await withQueue(async (queue) => {
      const fast = inboxes(40);
      const slow = 'https://slow.example/inbox';
      const now = Date.now();
      // The slow server's deliveries are the oldest: first in line.
      queue.record('m1', [slow], 'body', now - 1_000);
      queue.record('m2', [slow], 'body', now - 900);
      queue.record('m1', fast, 'body', now);
      const served: string[] = [];
      let releaseSlow: (outcome: Outcome) => void = () => {};
      const slowAnswer = new Promise<Outcome>((resolve) => {
        releaseSlow = resolve;
      });
      await queue.sendDue(
        new ConnectionPool(2),
        async (delivery: Delivery) => {
          if (delivery.target === slow) {
            served.push(`slow ${delivery.id}`);
            return slowAnswer;
          }
          served.push(delivery.target);
          // The slow one answers (fails) only once every fast server has had its delivery.
          if (served.filter((s) => !s.startsWith('slow')).length === fast.length)
            releaseSlow({ failure: 'timed out' });
          return { ok: true };
        },
        now,
      );
      // Every fast server once; the slow one once: its failure held back its second delivery.
      expect(served.filter((s) => !s.startsWith('slow')).sort()).toEqual([...fast].sort());
      expect(served.filter((s) => s.startsWith('slow'))).toEqual(['slow m1']);
      // What is left: the slow server's two, both moved behind the retry delay.
      expect(queue.size()).toBe(2);
      expect(queue.nextAt()).toBeGreaterThan(now + 5_000);
    });
  });

  it('sends each server its deliveries one at a time, in order', async () => {
    await withQueue(async (queue) => {
      const now = Date.now();
      for (let i = 0; i < 5; i++) queue.record(`m${i}`, inboxes(3), 'body', now - 100 + i);
      const inFlight = new Map<string, number>();
      let most = 0;
      const order: string[] = [];
      await queue.sendDue(
        new ConnectionPool(6),
        async (delivery: Delivery) => {
          const server = new URL(delivery.target).origin;
          const n = (inFlight.get(server) ?? 0) + 1;
          inFlight.set(server, n);
          most = Math.max(most, n);
          if (server === 'https://s0.example') order.push(delivery.id);
          await new Promise((resolve) => setTimeout(resolve, 1));
          inFlight.set(server, n - 1);
          return { ok: true };
        },
        now,
      );
      expect(most).toBe(1);
      expect(order).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
      expect(queue.size()).toBe(0);
    });
  });
});
