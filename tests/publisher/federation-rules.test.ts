/**
 * The federation's address and budget rules with the loopback switch off (as deployed): which
 * targets a key fetch or a delivery may reach, the per-host fetch budget (time injected), the
 * inbox refusing a key on a private address before any fetch, and a delivery dropped at send
 * time when its target breaks the rules its Follow was held to. The attacks themselves, with
 * loopback servers standing in for public ones, are in tests/scripts/inbox-attacks.test.ts.
 */

import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { signRequest } from '@fedify/fedify';
import { describe, expect, inject, it, vi } from 'vitest';
import {
  HOST_IN_FLIGHT,
  HOST_PER_MINUTE,
  HostBusyError,
  takeHostSlot,
  targetProblem,
} from '../../src/publisher/federation/remote';
import type { SiteWriter } from '../../src/publisher/site-writer';
import { actorKeys, generateRsaKeyPair } from '../support/actor-keys';
import { changeObjectEnv, publisherFetch, siteObject } from '../support/publisher';

describe('where the federation may fetch and deliver (switch off)', () => {
  const refused = [
    ['http://mastodon.example.org/users/a', 'is not https'],
    ['https://127.0.0.1/users/a', 'is not a public address'],
    ['https://2130706433/users/a', 'is not a public address'],
    ['https://0x7f.1/users/a', 'is not a public address'],
    ['https://10.1.2.3/inbox', 'is not a public address'],
    ['https://172.16.0.9/inbox', 'is not a public address'],
    ['https://192.168.1.1/inbox', 'is not a public address'],
    ['https://169.254.169.254/latest/meta-data', 'is not a public address'],
    ['https://100.64.0.1/inbox', 'is not a public address'],
    ['https://[::1]/inbox', 'is not a public address'],
    ['https://[fd00::1]/inbox', 'is not a public address'],
    ['https://[fe80::1]/inbox', 'is not a public address'],
    ['https://[::ffff:127.0.0.1]/inbox', 'is not a public address'],
    ['https://localhost/inbox', 'is not a public name'],
    ['https://admin.localhost/inbox', 'is not a public name'],
    ['https://printer.local/inbox', 'is not a public name'],
    ['https://db.internal/inbox', 'is not a public name'],
    ['https://router.home.arpa/inbox', 'is not a public name'],
    ['https://intranet/inbox', 'is not a public name'],
    ['https://user:secret@mastodon.social/inbox', 'carries credentials'],
    ['ftp://mastodon.social/inbox', 'is not https'],
    ['not a url', 'is not a URL'],
  ] as const;
  for (const [url, why] of refused) {
    it(`refuses ${url}`, () => {
      expect(targetProblem(url, false)).toContain(why);
    });
  }

  it('allows public https names and addresses', () => {
    for (const url of [
      'https://mastodon.social/users/Gargron',
      'https://mastodon.social:8443/inbox',
      'https://1.1.1.1/inbox',
      'https://[2606:4700:4700::1111]/inbox',
    ]) {
      expect(targetProblem(url, false), url).toBeUndefined();
    }
  });

  it('allows loopback http only with the switch on', () => {
    expect(targetProblem('http://127.0.0.1:9000/inbox', true)).toBeUndefined();
    expect(targetProblem('http://127.0.0.1:9000/inbox', false)).toContain('is not https');
  });
});

describe('the per-host fetch budget', () => {
  it(`holds ${HOST_IN_FLIGHT} fetches to one host at once, and gives a slot back when one ends`, () => {
    const host = `inflight-${crypto.randomUUID()}.example`;
    const now = 1_000_000;
    const releases = Array.from({ length: HOST_IN_FLIGHT }, () => takeHostSlot(host, now));
    expect(() => takeHostSlot(host, now)).toThrow(HostBusyError);
    // Another host is not held up by this one.
    takeHostSlot(`other-${host}`, now)();
    releases[0]?.();
    releases[0]?.(); // releasing twice gives back one slot, not two
    const again = takeHostSlot(host, now);
    expect(() => takeHostSlot(host, now)).toThrow(HostBusyError);
    for (const release of [again, ...releases]) release();
  });

  it(`allows ${HOST_PER_MINUTE} fetches to one host a minute, then more the next minute`, () => {
    const host = `minute-${crypto.randomUUID()}.example`;
    const start = 5_000_000;
    for (let i = 0; i < HOST_PER_MINUTE; i++) takeHostSlot(host, start + i)();
    expect(() => takeHostSlot(host, start + 59_000)).toThrow(HostBusyError);
    expect(() => takeHostSlot(host, start + 60_000)()).not.toThrow();
  });
});

describe('the inbox with the switch off', () => {
  it('refuses a key on a private address without fetching it', async () => {
    const keys = await generateRsaKeyPair();
    for (const [keyId, why] of [
      ['http://127.0.0.1:9/users/x#main-key', 'is not https'],
      ['https://10.0.0.8/users/x#main-key', 'is not a public address'],
    ] as const) {
      const body = JSON.stringify({
        '@context': 'https://www.w3.org/ns/activitystreams',
        id: `${keyId}/follow`,
        type: 'Follow',
        actor: keyId.replace(/#.*/, ''),
        object: 'http://kvpress.test/actor',
      });
      const signed = await signRequest(
        new Request('http://kvpress.test/actor/inbox', {
          method: 'POST',
          headers: { 'Content-Type': 'application/activity+json' },
          body,
        }),
        keys.privateKey,
        new URL(keyId),
        { spec: 'draft-cavage-http-signatures-12' },
      );
      const res = await publisherFetch('/actor/inbox', {
        method: 'POST',
        headers: { ...Object.fromEntries(signed.headers), 'CF-Connecting-IP': '203.0.113.77' },
        body,
      });
      expect(res.status).toBe(401);
      const { detail } = (await res.json()) as { detail: string };
      expect(detail).toContain('not fetched: ');
      expect(detail).toContain(why);
      const followers = await publisherFetch('/actor/followers');
      expect(((await followers.json()) as { totalItems: number }).totalItems).toBe(0);
    }
  });
});

describe('a delivery is held to the rules again when it is sent', () => {
  const receiver = inject('webhookReceiver');
  const site = () => siteObject();
  const pending = () =>
    runInDurableObject(site(), (_instance: SiteWriter, state) =>
      state.storage.sql
        .exec<{ inbox: string }>('SELECT inbox FROM ap_deliveries ORDER BY inbox')
        .toArray()
        .map((r) => r.inbox),
    );
  const followAs = (actor: string, inbox: string) =>
    site().follow(
      { actor, inbox },
      { id: `${actor}#follow`, type: 'Follow', actor, object: 'https://news.example/actor' },
    );
  const delivered = async () =>
    ((await (await fetch(`${receiver}/log`)).json()) as { path: string }[]).map((r) => r.path);

  async function withFederation(allowPrivate: boolean, run: () => Promise<void>) {
    const keys = await actorKeys();
    const restore = await changeObjectEnv((e) => ({
      ...e,
      SITE_URL: 'https://news.example',
      ACTIVITYPUB_PRIVATE_KEYS: keys.private,
      ACTIVITYPUB_PUBLIC_KEYS: keys.public,
      ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS: String(allowPrivate),
    }));
    try {
      await run();
    } finally {
      await restore();
    }
  }

  it('drops a queued Accept to a private address unsent (switch off)', async () => {
    await withFederation(false, async () => {
      // Stored directly: the inbox itself would have refused this follower.
      await followAs('https://10.0.0.5/users/x', 'https://10.0.0.5/users/x/inbox');
      expect(await pending()).toEqual(['https://10.0.0.5/users/x/inbox']);
      const logged = vi.spyOn(console, 'log').mockImplementation(() => {});
      await runDurableObjectAlarm(site());
      expect(logged).toHaveBeenCalledWith(
        expect.stringContaining('dropped: 10.0.0.5 is not a public address'),
      );
      logged.mockRestore();
      // Gone, not rescheduled: a failed attempt would have stayed in the queue.
      expect(await pending()).toEqual([]);
      await site().unfollow('https://10.0.0.5/users/x');
    });
  });

  it('drops one to a follower who left, and still sends one to a follower who stays', async () => {
    await withFederation(true, async () => {
      await followAs(`${receiver}/users/gone`, `${receiver}/users/gone/inbox`);
      await followAs(`${receiver}/users/stays`, `${receiver}/users/stays/inbox`);
      await site().unfollow(`${receiver}/users/gone`);
      expect(await pending()).toEqual([
        `${receiver}/users/gone/inbox`,
        `${receiver}/users/stays/inbox`,
      ]);
      const logged = vi.spyOn(console, 'log').mockImplementation(() => {});
      // One delivery per server per run (fairness): both are on the receiver's server.
      await runDurableObjectAlarm(site());
      await runDurableObjectAlarm(site());
      expect(logged).toHaveBeenCalledWith(
        expect.stringContaining('dropped: no follower on that server takes deliveries there'),
      );
      logged.mockRestore();
      const paths = await delivered();
      expect(paths).toContain('/users/stays/inbox');
      expect(paths).not.toContain('/users/gone/inbox');
    });
  });
});
