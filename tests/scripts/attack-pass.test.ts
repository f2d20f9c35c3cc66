/**
 * The attack pass's findings (issue 23), each through the real local stack (wrangler dev, both Workers, the Durable
 * Object and its alarm) and fake fediverse servers this test runs on loopback (the documented
 * switch ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS lets them stand in for public servers; the address
 * rules themselves are tested with it off in tests/publisher/federation-rules.test.ts). Each
 * case is a finding of the attack pass (issue 23) that today's inbox must refuse:
 * a key whose document claims someone else as its owner, a replayed request, an inbox that
 * redirects, a 100 MB and a never-answering key document, a remote @context, a blocked address,
 * a slow key server, a deleted account's Delete; and a preview link's key, which no line the
 * stack prints (wrangler's request log included) may hold.
 */
import { execFileSync } from 'node:child_process';
import { signRequest } from '@fedify/fedify';
import { Temporal } from '@js-temporal/polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeActor,
  FakeServer,
  fakeActor,
  looseKey,
  signedPost,
} from '../support/fake-fediverse';
import { type FederatedStack, startFederatedStack } from '../support/federated-stack';

const TOKEN = 'inbox-attacks-token-0123456789-abcdef';
let base: string;
let ours: string;
let stack: FederatedStack | undefined;
/** Honest servers (the victims), an attacker's, and an internal one nobody should reach. */
let victim: FakeServer;
let attacker: FakeServer;
let internal: FakeServer;
let alice: FakeActor;
let carol: FakeActor;
const log: string[] = [];
/** Every line the stack printed: its request log and the Workers' own. */
const stackOutput: string[] = [];

/** Each case from its own client address: the per-address gate is tested on its own. */
let addresses = 0;
const newAddress = () => `198.51.100.${++addresses}`;

const inbox = () => `${base}/actor/inbox`;

/** Sends a request as `address`; the body is read, so the connection is done with. */
async function send(request: Request, address = newAddress()) {
  const headers = new Headers(request.headers);
  headers.set('CF-Connecting-IP', address);
  const started = performance.now();
  const res = await fetch(request.url, { method: 'POST', headers, body: await request.text() });
  return {
    status: res.status,
    text: await res.text(),
    headers: res.headers,
    ms: performance.now() - started,
  };
}

async function followers(): Promise<number> {
  const res = await fetch(`${base}/actor/followers`, {
    headers: { Accept: 'application/activity+json' },
  });
  return ((await res.json()) as { totalItems: number }).totalItems;
}

async function waitFor(what: string, done: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const follow = (actor: FakeActor, id: string) => ({
  id,
  type: 'Follow',
  actor: actor.id,
  object: ours,
});

beforeAll(async () => {
  [victim, attacker, internal] = await Promise.all([
    new FakeServer().listen(),
    new FakeServer().listen(),
    new FakeServer().listen(),
  ]);
  victim.on('POST', '/inbox', (_req, res) => {
    res.writeHead(202).end();
  });
  alice = await fakeActor(victim, 'alice', { sharedInbox: `${victim.origin}/inbox` });
  carol = await fakeActor(victim, 'carol');

  stack = await startFederatedStack({ token: TOKEN, output: stackOutput });
  base = stack.base;
  ours = `${base}/actor`;
  // alice follows, honestly: the baseline every forged request below tries to change.
  const res = await send(
    await signedPost(
      inbox(),
      follow(alice, `${alice.id}#follows/1`),
      alice.privateKey,
      alice.keyId,
    ),
  );
  expect(res.status, res.text).toBe(202);
  await waitFor('the Accept to alice', () => victim.count('/users/alice/inbox', 'POST') === 1);
  expect(await followers()).toBe(1);
}, 120_000);

afterAll(async () => {
  console.log(`attack pass:\n  ${log.join('\n  ')}`);
  await stack?.stop();
  await Promise.all([victim?.close(), attacker?.close(), internal?.close()]);
});

describe('a key speaks for an actor only when that actor says so', () => {
  it('refuses a Follow signed with a key whose document names a real account as owner', async () => {
    // Two shapes of the lie: an actor document of the attacker's whose key entry names carol
    // (a real account that lists only her own key) as owner, and a bare key document that does.
    const forged = await looseKey();
    attacker.json('/users/mallory', {
      '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
      id: `${attacker.origin}/users/mallory`,
      type: 'Person',
      inbox: `${attacker.origin}/users/mallory/inbox`,
      publicKey: {
        id: `${attacker.origin}/users/mallory#main-key`,
        owner: carol.id,
        publicKeyPem: forged.pem,
      },
    });
    attacker.json('/keys/carol', {
      '@context': 'https://w3id.org/security/v1',
      id: `${attacker.origin}/keys/carol`,
      type: 'Key',
      owner: carol.id,
      publicKeyPem: forged.pem,
    });
    const asCarol = (keyId: string, n: number) =>
      signedPost(inbox(), follow(carol, `${attacker.origin}/f/${n}`), forged.privateKey, keyId);
    const inActor = await send(await asCarol(`${attacker.origin}/users/mallory#main-key`, 1));
    expect(inActor.status, inActor.text).toBe(401);
    expect(inActor.text).toContain(`who owns the key`);
    const before = victim.count('/users/carol');
    const bare = await send(await asCarol(`${attacker.origin}/keys/carol`, 2));
    expect(bare.status, bare.text).toBe(401);
    expect(bare.text).toContain(`does not list the key ${attacker.origin}/keys/carol`);
    // kvpress asked carol's own server who she is; nothing was stored or sent to her.
    expect(victim.count('/users/carol')).toBe(before + 1);
    expect(await followers()).toBe(1);
    expect(victim.count('/users/carol/inbox', 'POST')).toBe(0);
    log.push(
      'Follow as carol, signed by a key claiming her (in an actor, and bare) → 401 each; her server asked; nothing stored or sent',
    );
  });

  it('refuses a forged Undo(Follow) and a forged Delete of a real follower', async () => {
    const forged = await looseKey();
    attacker.json('/users/trudy', {
      '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
      id: `${attacker.origin}/users/trudy`,
      type: 'Person',
      inbox: `${attacker.origin}/users/trudy/inbox`,
      publicKey: {
        id: `${attacker.origin}/users/trudy#main-key`,
        owner: alice.id,
        publicKeyPem: forged.pem,
      },
    });
    const keyId = `${attacker.origin}/users/trudy#main-key`;
    const undo = {
      id: `${attacker.origin}/undo/1`,
      type: 'Undo',
      actor: alice.id,
      object: follow(alice, `${alice.id}#follows/1`),
    };
    const remove = {
      id: `${attacker.origin}/delete/1`,
      type: 'Delete',
      actor: alice.id,
      object: alice.id,
    };
    for (const activity of [undo, remove]) {
      const res = await send(await signedPost(inbox(), activity, forged.privateKey, keyId));
      expect(res.status, res.text).toBe(401);
    }
    expect(await followers()).toBe(1);
    log.push(
      'Undo(Follow) and Delete as alice with a key claiming her → 401 each; alice still follows',
    );
  });

  it("refuses a key document on the actor's own server whose actor does not list it", async () => {
    // Same origin is no proof either: only the actor's own document is.
    const forged = await looseKey();
    victim.json('/uploads/key.json', {
      id: `${victim.origin}/uploads/key.json`,
      type: 'Key',
      owner: alice.id,
      publicKeyPem: forged.pem,
    });
    const res = await send(
      await signedPost(
        inbox(),
        { id: `${victim.origin}/d/2`, type: 'Delete', actor: alice.id, object: alice.id },
        forged.privateKey,
        `${victim.origin}/uploads/key.json`,
      ),
    );
    expect(res.status).toBe(401);
    expect(await followers()).toBe(1);
  });
});

describe('replays', () => {
  it('refuses a replayed request, and a replay queues nothing', async () => {
    const request = await signedPost(
      inbox(),
      follow(alice, `${alice.id}#follows/2`),
      alice.privateKey,
      alice.keyId,
    );
    const body = await request.clone().text();
    const replay = () =>
      send(new Request(request.url, { method: 'POST', headers: request.headers, body }));
    expect((await replay()).status).toBe(202);
    const again = await Promise.all([replay(), replay(), replay(), replay()]);
    expect(again.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect(again[0]?.text).toContain('replay');
    // The same activity under a new signature (a server retrying): 202, and nothing more.
    const older = Temporal.Now.instant().subtract({ seconds: 30 });
    const resigned = await signRequest(
      new Request(inbox(), {
        method: 'POST',
        headers: { 'Content-Type': 'application/activity+json' },
        body,
      }),
      alice.privateKey,
      new URL(alice.keyId),
      { spec: 'draft-cavage-http-signatures-12', currentTime: older as never },
    );
    expect((await send(resigned)).status).toBe(202);
    // A barrier: a publish's Create goes out after any Accept queued before it.
    const put = await fetch(`${base}/api/articles/replay-barrier`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'text/markdown' },
      body: '---\ntitle: A Barrier\nslug: replay-barrier\ndescription: Sent after the Accepts.\ndatePublished: 2026-12-01\n---\nBody.\n',
    });
    expect(put.status, await put.text()).toBe(201);
    await waitFor('the Create', () =>
      victim.received.some((r) => r.path === '/inbox' && r.body.includes('"Create"')),
    );
    const accepts = victim.received.filter(
      (r) => r.path === '/users/alice/inbox' && r.body.includes('follows/2'),
    );
    expect(accepts.length).toBe(1);
    log.push(
      'one Follow sent 5 times with one signature → 202 then 401 ×4; re-signed → 202; one Accept',
    );
  }, 40_000);
});

describe('deliveries', () => {
  it('never follows a redirect from an inbox', async () => {
    internal.on('POST', '/internal/admin', (_req, res) => {
      res.writeHead(200).end();
    });
    const dave = await fakeActor(victim, 'dave', { inbox: `${victim.origin}/users/dave/inbox` });
    victim.on('POST', '/users/dave/inbox', (_req, res) => {
      res.writeHead(307, { Location: `${internal.origin}/internal/admin` }).end();
    });
    const res = await send(
      await signedPost(inbox(), follow(dave, `${dave.id}#follows/1`), dave.privateKey, dave.keyId),
    );
    expect(res.status, res.text).toBe(202);
    // The first attempt, then its retry (0.5 s later here): a followed redirect would have
    // reached the internal server between them.
    await waitFor('two attempts', () => victim.count('/users/dave/inbox', 'POST') >= 2);
    expect(internal.received).toEqual([]);
    log.push(
      `dave's inbox answers 307 → internal: ${victim.count('/users/dave/inbox', 'POST')} attempts, 0 requests reached the internal server`,
    );
  }, 30_000);
});

describe('fetches are bounded and gated', () => {
  it('reads at most a few tens of KiB of a 100 MB key document: a clean 401, quickly', async () => {
    let sent = 0;
    attacker.on('GET', '/keys/huge', async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/activity+json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let closed = false;
      res.once('close', () => {
        closed = true;
      });
      res.write('{"id":"x","pad":"');
      while (sent < 100 * 1024 * 1024 && !closed) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          // Until the stack reads on, or hangs up (then 'drain' never comes).
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              res.off('drain', done);
              resolve();
            };
            const timer = setTimeout(done, 50);
            res.once('drain', done);
          });
        }
      }
      res.end('"}');
    });
    const before = stackMemoryKiB();
    const key = await looseKey();
    const res = await send(
      await signedPost(
        inbox(),
        follow(carol, `${attacker.origin}/f/huge`),
        key.privateKey,
        `${attacker.origin}/keys/huge`,
      ),
    );
    const grew = stackMemoryKiB() - before;
    expect(res.status, res.text).toBe(401);
    expect(res.text).toContain('larger than 65536 bytes');
    expect(res.ms).toBeLessThan(5_000);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
    expect(grew).toBeLessThan(64 * 1024);
    log.push(
      `100 MB key document → 401 in ${res.ms.toFixed(0)} ms; the server wrote ${(sent / 1048576).toFixed(1)} MiB before the stack hung up; the stack grew ${(grew / 1024).toFixed(1)} MiB`,
    );
  }, 30_000);

  it('gives up on a key server that never answers: a clean 401 within the fetch timeout', async () => {
    attacker.on('GET', '/keys/never', () => {
      // Never answers.
    });
    const key = await looseKey();
    const res = await send(
      await signedPost(
        inbox(),
        follow(carol, `${attacker.origin}/f/never`),
        key.privateKey,
        `${attacker.origin}/keys/never`,
      ),
    );
    expect(res.status, res.text).toBe(401);
    expect(res.text).toContain('took more than 5000 ms');
    expect(res.ms).toBeLessThan(8_000);
    log.push(`a key server that never answers → 401 in ${res.ms.toFixed(0)} ms`);
  }, 30_000);

  it('never fetches a remote @context (LitePub included) and still reads the documents', async () => {
    const contexts = [
      'https://www.w3.org/ns/activitystreams',
      'https://w3id.org/security/v1',
      `${attacker.origin}/contexts/evil.jsonld`,
      `${attacker.origin}/schemas/litepub-0.1.jsonld`,
    ];
    attacker.json('/contexts/evil.jsonld', { '@context': {} });
    attacker.json('/schemas/litepub-0.1.jsonld', { '@context': {} });
    const erin = await fakeActor(attacker, 'erin', { context: contexts });
    const before = await followers();
    const request = await signedPost(
      inbox(),
      { '@context': contexts, ...follow(erin, `${erin.id}#follows/1`) },
      erin.privateKey,
      erin.keyId,
    );
    const res = await send(request);
    expect(res.status, res.text).toBe(202);
    expect(attacker.count('/contexts/evil.jsonld')).toBe(0);
    expect(attacker.count('/schemas/litepub-0.1.jsonld')).toBe(0);
    expect(await followers()).toBe(before + 1);
    log.push('actor and activity naming two remote @contexts → followed, 0 context fetches');
  });

  it('fetches nothing for an address already answered 429', async () => {
    const address = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const unsigned = new Request(inbox(), {
        method: 'POST',
        headers: { 'Content-Type': 'application/activity+json' },
        body: '{}',
      });
      statuses.push((await send(unsigned, address)).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    const key = await looseKey();
    attacker.json('/keys/counted', {
      id: `${attacker.origin}/keys/counted`,
      type: 'Key',
      owner: carol.id,
      publicKeyPem: key.pem,
    });
    const res = await send(
      await signedPost(
        inbox(),
        follow(carol, `${attacker.origin}/f/counted`),
        key.privateKey,
        `${attacker.origin}/keys/counted`,
      ),
      address,
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(attacker.count('/keys/counted')).toBe(0);
    log.push('an address past its 10 failures → 429, and its signed request fetched no key');
  }, 30_000);

  it('holds a slow key server to a bounded number of slots', async () => {
    const slow = await new FakeServer().listen();
    try {
      for (let i = 0; i < 8; i++) {
        slow.on('GET', `/keys/${i}`, (_req, res) => {
          setTimeout(() => res.writeHead(404).end(), 2_000);
        });
      }
      const key = await looseKey();
      const results = await Promise.all(
        Array.from({ length: 8 }, async (_, i) =>
          send(
            await signedPost(
              inbox(),
              follow(carol, `${slow.origin}/f/${i}`),
              key.privateKey,
              `${slow.origin}/keys/${i}`,
            ),
          ),
        ),
      );
      const busy = results.filter((r) => r.status === 429);
      const concurrent = Math.max(...slow.maxInFlight.values());
      const served = results.length - busy.length;
      expect(served).toBeLessThanOrEqual(4);
      expect(busy.length).toBeGreaterThanOrEqual(4);
      for (const r of busy) expect(r.ms).toBeLessThan(1_500);
      expect(slow.received.length).toBeLessThanOrEqual(4);
      log.push(
        `8 requests with keys on a slow server at once → ${slow.received.length} fetches (at most ${concurrent} per path), ${busy.length} answered 429 at once`,
      );
    } finally {
      await slow.close();
    }
  }, 30_000);
});

describe("a deleted account's Delete", () => {
  it("removes a follower only when its actor's own server answers 410 Gone", async () => {
    // frank has two keys; he follows with the first (which kvpress then holds as verified).
    const frank = await fakeActor(victim, 'frank');
    const second = await looseKey();
    victim.json('/users/frank', {
      '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
      id: frank.id,
      type: 'Person',
      inbox: frank.inbox,
      publicKey: [
        { id: frank.keyId, owner: frank.id, publicKeyPem: frank.pem },
        { id: `${frank.id}#second-key`, owner: frank.id, publicKeyPem: second.pem },
      ],
    });
    const res = await send(
      await signedPost(
        inbox(),
        follow(frank, `${frank.id}#follows/1`),
        frank.privateKey,
        frank.keyId,
      ),
    );
    expect(res.status, res.text).toBe(202);
    const count = await followers();
    const deleteFrank = {
      id: `${frank.id}#delete`,
      type: 'Delete',
      actor: frank.id,
      object: frank.id,
    };
    // Someone claims frank deleted himself, with a key that answers 410: frank's actor still
    // answers, so nothing is believed.
    const key = await looseKey();
    attacker.json('/keys/gone', {}, 410);
    const forged = await send(
      await signedPost(
        inbox(),
        { ...deleteFrank, id: `${attacker.origin}/d/frank` },
        key.privateKey,
        `${attacker.origin}/keys/gone`,
      ),
    );
    expect(forged.status, forged.text).toBe(401);
    expect(await followers()).toBe(count);
    // frank's account is deleted: his actor and keys answer 410, and his server signs the
    // Delete with the key kvpress never saw, which cannot be fetched any more.
    victim.json('/users/frank', { error: 'Gone' }, 410);
    const gone = await send(
      await signedPost(inbox(), deleteFrank, second.privateKey, `${frank.id}#second-key`),
    );
    expect(gone.status, gone.text).toBe(202);
    expect(await followers()).toBe(count - 1);
    log.push(
      "Delete claiming frank with a key that answers 410, frank alive → 401; frank's actor 410 → 202, follower removed",
    );
  }, 30_000);
});

describe('preview links', () => {
  it('leave their key in no log line: it travels as a fragment, then in a POST body', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const put = await fetch(`${base}/api/articles/a-draft`, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'text/markdown' },
      body: '---\ntitle: A Draft\nslug: a-draft\ndescription: Not out yet.\ndatePublished: 2026-12-01\ndraft: true\n---\nEarly.\n',
    });
    expect(put.status, await put.text()).toBe(201);
    const made = await fetch(`${base}/api/articles/a-draft/preview`, {
      method: 'POST',
      headers: auth,
    });
    const link = new URL(((await made.json()) as { url: string }).url);
    const key = link.hash.slice(1);
    expect(link.pathname).toBe('/preview');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // What a browser does with the link: GET /preview (the fragment stays behind), then the
    // page's script posts the key.
    expect((await fetch(`${base}${link.pathname}`)).status).toBe(200);
    const page = await fetch(`${base}/preview`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: key }).toString(),
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Early.');
    await waitFor('the request log', () =>
      stackOutput.some((line) => line.includes('POST /preview 200')),
    );
    expect(stackOutput.filter((line) => line.includes(key))).toEqual([]);
    log.push(
      `a preview opened: ${stackOutput.filter((l) => l.includes('/preview')).length} request-log lines name /preview, none holds its key`,
    );
  });
});

/** Resident memory of the local stack's processes (wrangler and its workerd), in KiB. */
function stackMemoryKiB(): number {
  const group = stack?.pid;
  if (group === undefined) return 0;
  const out = execFileSync('ps', ['-eo', 'pgid=,rss='], { encoding: 'utf8' });
  let total = 0;
  for (const line of out.split('\n')) {
    const [pgid, rss] = line.trim().split(/\s+/).map(Number);
    if (pgid === group && rss !== undefined && Number.isFinite(rss)) total += rss;
  }
  return total;
}
