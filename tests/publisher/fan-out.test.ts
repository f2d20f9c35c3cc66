/**
 * Fan-out by reference (issue 24): a publish writes one event, with its activity stored once, in
 * its transaction, whatever the number of followers; the alarm expands it after the commit into
 * one small row per follower server that references the event's body, and sends at most one
 * delivery per server a run (a dead or slow server holds no one else's place).
 */

import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RUN_SIZE } from '../../src/publisher/delivery-queue';
import type { SiteWriter } from '../../src/publisher/site-writer';
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

  it('the alarm expands it into one row per server, by reference, and sends one per server a run', async () => {
    const logged = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await runDurableObjectAlarm(siteObject());
      // Every server queued (expanded in batches), each row's body the event's one copy.
      expect(await count('ap_deliveries', "event_seq IS NOT NULL AND body = ''")).toBe(
        FOLLOWERS - RUN_SIZE,
      );
      expect(await count('ap_deliveries', 'event_seq IS NULL')).toBe(0);
      // One run sent (here: dropped, a private address) one delivery to RUN_SIZE servers.
      const dropped = logged.mock.calls.filter(([m]) => String(m).includes('dropped:'));
      expect(dropped.length).toBe(RUN_SIZE);
    } finally {
      logged.mockRestore();
    }
  });
});
