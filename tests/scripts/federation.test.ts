/**
 * kvpress federates with a real, independent ActivityPub implementation: a Fedify federation
 * in this Node process (tests/support/fediverse-peer.ts) against the real local stack (wrangler
 * dev, both Workers, the Durable Object, its alarm). The peer looks the site up by WebFinger,
 * fetches and parses the actor and an article with its own vocabulary classes, follows, gets the
 * Accept, then a Create on publish, an Update on an edit and a Delete on unpublish: Fedify's inbox
 * runs a listener only for a request whose signature it verified against kvpress's published key.
 * Forged, replayed, tampered and unsigned requests to kvpress's inbox are refused with 401.
 */
import { readFile } from 'node:fs/promises';
import { signRequest } from '@fedify/fedify';
import { Article, Follow, Service, Undo } from '@fedify/vocab';
import { Temporal } from '@js-temporal/polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair } from '../../scripts/lib/actor-keys';
import { type FederatedStack, startFederatedStack } from '../support/federated-stack';
import { allowLoopbackHttp, type Peer, startPeer } from '../support/fediverse-peer';

const TOKEN = 'federation-test-token-0123456789-abcdef';
const SHIPPED = 'tests/fixtures/content/trump-seeks-to-renew-relations-with-putins-russia.md';
const SLUG = 'trump-seeks-to-renew-relations-with-putins-russia';

async function waitFor<T>(what: string, find: () => T | undefined, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let peer: Peer;
let base: string;
let stack: FederatedStack | undefined;
const log: string[] = [];

const api = (pathname: string, init: RequestInit = {}) =>
  fetch(`${base}/api${pathname}`, {
    ...init,
    headers: { Authorization: `Bearer ${TOKEN}`, ...(init.headers ?? {}) },
  });

const putArticle = (slug: string, source: string) =>
  api(`/articles/${slug}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/markdown' },
    body: source,
  });

beforeAll(async () => {
  stack = await startFederatedStack({ token: TOKEN, beforeStart: allowLoopbackHttp });
  base = stack.base;
  peer = await startPeer();
  const res = await putArticle(SLUG, await readFile(SHIPPED, 'utf8'));
  expect(res.status, await res.text()).toBeLessThan(300);
  // Readers see a publish within the freshness bound (docs/caching.md): wait until it shows.
  await waitForServed(`${base}/articles/${SLUG}`);
}, 120_000);

async function waitForServed(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await fetch(url)).status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} was not served within 50 s`);
}

afterAll(async () => {
  if (peer?.errors.length) console.log(`peer errors:\n  ${peer.errors.join('\n  ')}`);
  console.log(`federation test log:\n  ${log.join('\n  ')}`);
  await stack?.stop();
  await peer?.close();
});

describe('federation with an independent ActivityPub server', () => {
  let service: Service;

  it('is found by WebFinger, and its actor parses as a Service with both keys', async () => {
    const host = new URL(base).host;
    const found = await peer.context.lookupObject(`@news@${host}`);
    expect(found).toBeInstanceOf(Service);
    service = found as Service;
    expect(service.id?.href).toBe(`${base}/actor`);
    expect(service.preferredUsername).toBe('news');
    expect(service.inboxId?.href).toBe(`${base}/actor/inbox`);
    const key = await service.getPublicKey();
    expect(key?.id?.href).toBe(`${base}/actor#main-key`);
    const multikeys = [];
    for await (const m of service.getAssertionMethods()) multikeys.push(m);
    expect(multikeys.map((m) => m.id?.href)).toEqual([`${base}/actor#ed25519-key`]);
    log.push(`webfinger @news@${host} → ${service.id?.href} (Service, RSA + Ed25519 Multikey)`);
  }, 30_000);

  it('serves an article the peer parses as an Article', async () => {
    const article = await peer.context.lookupObject(`${base}/articles/${SLUG}`);
    expect(article).toBeInstanceOf(Article);
    expect((article as Article).name?.toString()).toBe(
      "Trump Seeks To Renew Relations With Putin's Russia",
    );
    expect((article as Article).attributionId?.href).toBe(`${base}/actor`);
    log.push(`fetched ${base}/articles/${SLUG} → Article`);
  }, 30_000);

  it('accepts a signed Follow and sends a signed Accept', async () => {
    const follow = new Follow({
      id: new URL(`${peer.origin}/follows/1`),
      actor: peer.aliceId,
      object: service.id,
    });
    await peer.context.sendActivity({ identifier: 'alice' }, service, follow, { immediate: true });
    log.push('alice → Follow (signed by alice; verified by kvpress)');
    const accept = await waitFor('Accept', () => peer.received.find((r) => r.type === 'Accept'));
    expect(accept.actor).toBe(`${base}/actor`);
    log.push(`kvpress → ${accept.type} ${accept.id} (signature verified by the peer)`);
    const followers = await (await fetch(`${base}/actor/followers`)).json();
    expect(followers).toMatchObject({ type: 'OrderedCollection', totalItems: 1 });
  }, 60_000);

  it('delivers Create on publish, Update on an edit and Delete on unpublish, each verified', async () => {
    const source = (await readFile(SHIPPED, 'utf8'))
      .replace(/^slug: .*$/m, 'slug: federated')
      .replace(/^title: .*$/m, 'title: A Federated Article');
    expect((await putArticle('federated', source)).status).toBe(201);
    const create = await waitFor('Create', () => peer.received.find((r) => r.type === 'Create'));
    expect(create).toMatchObject({
      object: `${base}/articles/federated`,
      name: 'A Federated Article',
      // Nothing is announced before it can be read (issue 25): fetched on arrival, it is there.
      announced: { html: 200, activity: 200 },
    });
    log.push(`kvpress → Create ${create.object} (verified)`);

    const edited = source.replace('Beyond diplomatic relations', 'Beyond relations');
    expect((await putArticle('federated', edited)).status).toBe(200);
    const update = await waitFor('Update', () => peer.received.find((r) => r.type === 'Update'));
    expect(update.object).toBe(`${base}/articles/federated`);
    expect(update.announced).toEqual({ html: 200, activity: 200 });
    log.push(`kvpress → Update ${update.object} (verified)`);

    expect((await api('/articles/federated', { method: 'DELETE' })).status).toBeLessThan(300);
    const deleted = await waitFor('Delete', () => peer.received.find((r) => r.type === 'Delete'));
    expect(deleted.object).toBe(`${base}/articles/federated`);
    log.push(`kvpress → Delete ${deleted.object} (Tombstone, verified)`);
  }, 90_000);

  it("the peer's inbox verifies: an unsigned Create is refused and never logged", async () => {
    const before = peer.received.length;
    const res = await fetch(`${peer.origin}/users/alice/inbox`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/activity+json' },
      body: JSON.stringify({
        '@context': 'https://www.w3.org/ns/activitystreams',
        id: `${base}/articles/forged#create`,
        type: 'Create',
        actor: `${base}/actor`,
        object: { id: `${base}/articles/forged`, type: 'Article', name: 'Forged' },
      }),
    });
    expect(res.status).toBe(401);
    expect(peer.received.length).toBe(before);
  });

  it('retries a failing inbox with backoff, and a 410 Gone removes the follower', async () => {
    for (const name of ['bob', 'carol']) {
      const actor = peer.context.getActorUri(name);
      const follow = new Follow({
        id: new URL(`${peer.origin}/follows/${name}`),
        actor,
        object: service.id,
      });
      await peer.context.sendActivity({ identifier: name }, service, follow, { immediate: true });
    }
    // carol's inbox answers 503 twice: the Accept lands on the third attempt (WEBHOOK_RETRY_MS
    // is 500 here: 0.5 s, then 1 s).
    await waitFor('carol’s third attempt', () =>
      (peer.attempts.carol ?? 0) >= 3 ? true : undefined,
    );
    expect(peer.attempts.carol).toBe(3);
    // bob's answered 410 once: he is no follower any more, and nothing is sent him again.
    await waitFor('bob removed', () => (peer.attempts.bob === 1 ? true : undefined));
    const followers = await (await fetch(`${base}/actor/followers`)).json();
    expect(followers).toMatchObject({ totalItems: 2 });
    log.push('carol’s inbox: 503, 503, then 202 (retried); bob’s: 410 once, follower removed');
  }, 60_000);

  it("refuses a follower whose inbox is on another server (no deliveries to a stranger's URL)", async () => {
    const actor = peer.context.getActorUri('mallory');
    const follow = new Follow({
      id: new URL(`${peer.origin}/follows/mallory`),
      actor,
      object: service.id,
    });
    await expect(
      peer.context.sendActivity({ identifier: 'mallory' }, service, follow, { immediate: true }),
    ).rejects.toThrow(/422/);
    const followers = await (await fetch(`${base}/actor/followers`)).json();
    expect(followers).toMatchObject({ totalItems: 2 });
    log.push('mallory → Follow with an inbox on another server → 422, not stored');
  }, 30_000);

  it('removes the follower on Undo(Follow)', async () => {
    const follow = new Follow({
      id: new URL(`${peer.origin}/follows/1`),
      actor: peer.aliceId,
      object: service.id,
    });
    const undo = new Undo({
      id: new URL(`${peer.origin}/follows/1#undo`),
      actor: peer.aliceId,
      object: follow,
    });
    await peer.context.sendActivity({ identifier: 'alice' }, service, undo, { immediate: true });
    const followers = await (await fetch(`${base}/actor/followers`)).json();
    expect(followers).toMatchObject({ totalItems: 1 });
    log.push('alice → Undo(Follow): followers 2 → 1 (carol stays)');
  }, 30_000);
});

describe("kvpress's inbox refuses what it cannot verify", () => {
  const body = () =>
    JSON.stringify({
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${peer.origin}/follows/${crypto.randomUUID()}`,
      type: 'Follow',
      actor: peer.aliceId.href,
      object: `${base}/actor`,
    });
  const keyId = () => new URL(`${peer.aliceId.href}#main-key`);
  const post = (headers: Record<string, string>, text: string) =>
    new Request(`${base}/actor/inbox`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/activity+json', ...headers },
      body: text,
    });

  it('an unsigned POST', async () => {
    const res = await fetch(post({}, body()));
    expect(res.status).toBe(401);
    log.push('unsigned POST → 401');
  });

  it('a forged signature (signed by another key under alice’s key id)', async () => {
    const other = await generateRsaKeyPair();
    const text = body();
    const signed = await signRequest(post({}, text), other.privateKey, keyId(), {
      spec: 'draft-cavage-http-signatures-12',
    });
    expect((await fetch(signed)).status).toBe(401);
    log.push('forged signature → 401');
  }, 30_000);

  it('a replayed request with a Date two hours old', async () => {
    const text = body();
    // Fedify's types name the global Temporal (lib esnext.temporal); at run time it takes the
    // polyfill's, which Node 24 needs.
    type Instant = NonNullable<NonNullable<Parameters<typeof signRequest>[3]>['currentTime']>;
    const old = Temporal.Now.instant().subtract({ hours: 2 }) as unknown as Instant;
    const signed = await signRequest(post({}, text), peer.keys.rsa.privateKey, keyId(), {
      spec: 'draft-cavage-http-signatures-12',
      currentTime: old,
    });
    expect((await fetch(signed)).status).toBe(401);
    log.push('Date two hours old → 401');
  }, 30_000);

  it('a body that does not match its digest', async () => {
    const signed = await signRequest(post({}, body()), peer.keys.rsa.privateKey, keyId(), {
      spec: 'draft-cavage-http-signatures-12',
    });
    const tampered = new Request(signed.url, {
      method: 'POST',
      headers: signed.headers,
      body: body(),
    });
    expect((await fetch(tampered)).status).toBe(401);
    log.push('wrong digest → 401');
  }, 30_000);
});
