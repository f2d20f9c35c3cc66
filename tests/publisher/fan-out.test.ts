/**
 * Fan-out by reference (issue 24): a publish writes one event, with its activity stored once, in
 * its transaction, whatever the number of followers; after the commit it expands into one small
 * row per follower server that references the event's body, and the alarm sends them.
 */

import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Federation } from '../../src/publisher/federation';
import type { SiteWriter } from '../../src/publisher/site-writer';
import { Consumers } from '../../src/publisher/site-writer/consumers';
import { EventLog } from '../../src/publisher/site-writer/event-log';
import { Webhooks } from '../../src/publisher/webhooks';
import { actorKeys } from '../support/actor-keys';
import { testApp } from '../support/app';
import { variantOf } from '../support/publish';
import { apiPut, changeObjectEnv, seedSite, siteObject } from '../support/publisher';

const FOLLOWERS = 1_200;
let restore: () => Promise<void>;

const count = (table: string, where = '1 = 1') =>
  runInDurableObject(
    siteObject(),
    (_i: SiteWriter, state) =>
      state.storage.sql
        .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)
        .one().n,
  );

beforeAll(async () => {
  await seedSite();
  const keys = await actorKeys();
  restore = await changeObjectEnv((e) => ({
    ...e,
    SITE_URL: 'https://news.example',
    ACTIVITYPUB_PRIVATE_KEYS: keys.private,
    ACTIVITYPUB_PUBLIC_KEYS: keys.public,
    ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS: 'false',
  }));
  // Followers on as many servers, stored directly. Their private addresses make every delivery
  // be dropped when it is sent (nothing leaves the test): what is counted is what was queued.
  await runInDurableObject(siteObject(), (_i: SiteWriter, state) => {
    for (let i = 0; i < FOLLOWERS; i++) {
      const origin = `https://10.${Math.floor(i / 250)}.${i % 250}.1`;
      state.storage.sql.exec(
        'INSERT INTO followers (actor, inbox, shared_inbox, followed_at) VALUES (?, ?, NULL, 0)',
        `${origin}/users/u${i}`,
        `${origin}/users/u${i}/inbox`,
      );
    }
  });
});
afterAll(() => restore());

describe('fan-out by reference', () => {
  it('a publish writes one event and no delivery, whatever the followers', async () => {
    const events = await count('events');
    const res = await apiPut(testApp(), 'fanned-out', variantOf('fanned-out', 'Told.'));
    expect(res.status).toBe(201);
    expect(await count('events')).toBe(events + 1);
    expect(await count('events', 'activity LIKE \'%"Create"%\'')).toBeGreaterThanOrEqual(1);
    // Deliveries are made after the commit, by the alarm, not in the write's transaction.
    expect(await count('ap_deliveries')).toBe(0);
  });

  it('after the commit, it expands into one row per server that references the one body', async () => {
    await runInDurableObject(siteObject(), (_i: SiteWriter, state) => {
      const sql = state.storage.sql;
      const federation = new Federation(sql, () => ({
        origin: 'https://news.example',
        siteLang: 'en',
        privateKeys: 'set',
        retryBaseMs: 10_000,
        allowPrivate: false,
      }));
      const webhooks = new Webhooks(
        sql,
        () => [],
        () => 10_000,
      );
      new Consumers(state, new EventLog(sql), webhooks, federation).expand();
      const rows = sql
        .exec<{ n: number; bodies: number; events: number }>(
          'SELECT COUNT(*) AS n, SUM(LENGTH(body)) AS bodies, COUNT(DISTINCT event_seq) AS events FROM ap_deliveries',
        )
        .one();
      // One row per server, no body of its own, all naming one event.
      expect(rows).toEqual({ n: FOLLOWERS, bodies: 0, events: 1 });
    });
  });

  it('the alarm sends each server its delivery, each server once at a time', async () => {
    const logged = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await runDurableObjectAlarm(siteObject());
      // Here every one is dropped when sent (a private address).
      const dropped = logged.mock.calls.filter(([m]) => String(m).includes('dropped:'));
      expect(dropped.length).toBe(FOLLOWERS);
      expect(await count('ap_deliveries')).toBe(0);
    } finally {
      logged.mockRestore();
    }
  });
});
