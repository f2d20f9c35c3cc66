/**
 * Every setting the project documents for a developer's local settings file reaches the Worker
 * it is for under `npm start`: PUBLISH_TOKEN (the API), WEBHOOKS (deliveries), the actor's keys
 * (the reader's actor and the publisher's signatures), SITE_URL and the loopback switch. `npm start`
 * runs here as a new user runs it, in a folder of its own (a copy of the project's files, its
 * node_modules linked), with a settings file this test writes there; the project's own is never
 * read (tests/scripts/independence.test.ts).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeActorKeys } from '../../scripts/cli/activitypub-keys';
import { freePort } from '../../scripts/lib/dev-env';
import { FakeServer, fakeActor, signedPost } from '../support/fake-fediverse';
import { startReceiver, WEBHOOK_SECRET } from '../support/webhook-receiver';

const run = promisify(execFile);

/** Written in this test's own folder, never read from the project's. */
const SETTINGS_FILE = '.dev.vars';
const TOKEN = 'local-settings-token-0123456789-abcdef';
const FIXTURE = 'tests/fixtures/content/trump-seeks-to-renew-relations-with-putins-russia.md';

let dir: string;
let start: ChildProcess | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let peer: FakeServer;
let base: string;
let publicKeys: { rsa: string };
const output: string[] = [];

async function waitFor(what: string, done: () => Promise<boolean> | boolean, ms = 90_000) {
  const until = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  receiver = await startReceiver({ probeOrigin: base });
  peer = await new FakeServer().listen();
  const root = process.cwd();
  dir = await mkdtemp(path.join(tmpdir(), 'kvpress-npm-start-'));
  for (const name of ['node_modules', 'src', 'scripts']) {
    await symlink(path.join(root, name), path.join(dir, name));
  }
  for (const name of [
    'package.json',
    'tsconfig.json',
    'wrangler.toml',
    'wrangler.publisher.toml',
  ]) {
    await copyFile(path.join(root, name), path.join(dir, name));
  }
  await mkdir(path.join(dir, 'content'));
  await copyFile(FIXTURE, path.join(dir, 'content', path.basename(FIXTURE)));
  const keys = await makeActorKeys();
  publicKeys = JSON.parse(keys.public);
  await writeFile(
    path.join(dir, SETTINGS_FILE),
    [
      `PUBLISH_TOKEN=${TOKEN}`,
      `WEBHOOKS='${JSON.stringify([{ url: `http://127.0.0.1:${receiver.port}/ok/start`, secret: WEBHOOK_SECRET }])}'`,
      `ACTIVITYPUB_PRIVATE_KEYS='${keys.private}'`,
      `ACTIVITYPUB_PUBLIC_KEYS='${keys.public}'`,
      `SITE_URL=${base}`,
      'ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS=true',
      '',
    ].join('\n'),
  );
  start = spawn(path.join(dir, 'node_modules', '.bin', 'tsx'), ['scripts/cli/start.ts'], {
    cwd: dir,
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      PATH: `${path.join(dir, 'node_modules', '.bin')}:${process.env.PATH}`,
      WRANGLER_SEND_METRICS: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [start.stdout, start.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => output.push(chunk));
  }
  await waitFor('npm start to serve and publish', () =>
    output.join('').includes('kvpress: serving'),
  );
}, 150_000);

afterAll(async () => {
  if (start?.pid) {
    try {
      process.kill(-start.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await peer?.close();
  await new Promise<void>((resolve) =>
    receiver ? receiver.server.close(() => resolve()) : resolve(),
  );
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm start with a settings file', () => {
  it('gives the publisher its PUBLISH_TOKEN', async () => {
    const res = await fetch(`${base}/api/articles`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
  });

  it('gives the publisher its WEBHOOKS: the publish of content/ is delivered, signed', async () => {
    type Received = {
      path: string;
      type: string;
      signatureValid: boolean;
      announced?: unknown;
    };
    let log: Received[] = [];
    await waitFor('the webhook', async () => {
      log = (await (await fetch(`http://127.0.0.1:${receiver.port}/log`)).json()) as Received[];
      return log.some((r) => r.path === '/ok/start' && r.type === 'article.published');
    });
    const published = log.find((r) => r.type === 'article.published');
    expect(published?.signatureValid).toBe(true);
    // Nothing is announced before it can be read: at the moment of delivery the announced URL
    // answers 200 with the announced article, as HTML and as JSON.
    expect(published?.announced).toEqual({
      html: 200,
      json: 200,
      title: "Trump Seeks To Renew Relations With Putin's Russia",
    });
  }, 100_000);

  it('gives the reader the actor keys and SITE_URL', async () => {
    const res = await fetch(`${base}/actor`, { headers: { Accept: 'application/activity+json' } });
    const actor = (await res.json()) as { id: string; publicKey: { publicKeyPem: string } };
    expect(actor.id).toBe(`${base}/actor`);
    expect(actor.publicKey.publicKeyPem.replace(/\s+/g, '')).toBe(
      publicKeys.rsa.replace(/\s+/g, ''),
    );
  });

  it('gives the publisher the private key, SITE_URL and the loopback switch: its fetches are signed', async () => {
    const eve = await fakeActor(peer, 'eve');
    const res = await fetch(
      await signedPost(
        `${base}/actor/inbox`,
        { id: `${eve.id}#f`, type: 'Follow', actor: eve.id, object: `${base}/actor` },
        eve.privateKey,
        eve.keyId,
      ),
    );
    expect(res.status, await res.text()).toBe(202);
    await waitFor('the Accept', () => peer.count('/users/eve/inbox', 'POST') === 1);
    const accept = JSON.parse(
      peer.received.find((r) => r.path === '/users/eve/inbox')?.body ?? '{}',
    );
    expect(accept).toMatchObject({ type: 'Accept', actor: `${base}/actor` });
  }, 60_000);
});

describe('fresh within a second on the local stack (issue 25)', () => {
  const doc = (text: string) =>
    `---\ntitle: Fresh probe\nslug: fresh-probe\ndescription: Seen at once.\ndatePublished: 2026-12-08\n---\n${text}\n`;
  const api = (init: RequestInit) =>
    fetch(`${base}/api/articles/fresh-probe`, {
      ...init,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'text/markdown' },
    });
  /** Milliseconds from the API's answer until the reader shows `seen`, polled every 20 ms. */
  async function visibleAfter(seen: (res: Response, text: string) => boolean): Promise<number> {
    const from = Date.now();
    for (;;) {
      const res = await fetch(`${base}/articles/fresh-probe`, {
        headers: { Accept: 'application/json' },
      });
      if (seen(res, await res.text())) return Date.now() - from;
      if (Date.now() - from > 10_000) return Number.POSITIVE_INFINITY;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('shows a new article, an edit and an unpublish within 1 s to a reader primed before each', async () => {
    const times: Record<string, number> = {};
    // Primed: the home page and the not-yet-published URL, just before the write.
    await (await fetch(`${base}/`)).arrayBuffer();
    expect((await fetch(`${base}/articles/fresh-probe`)).status).toBe(404);
    expect((await api({ method: 'PUT', body: doc('First words.') })).status).toBe(201);
    times.new = await visibleAfter((res) => res.status === 200);

    await (await fetch(`${base}/articles/fresh-probe`)).arrayBuffer();
    expect((await api({ method: 'PUT', body: doc('Second words.') })).status).toBe(200);
    times.edit = await visibleAfter((res, text) => res.ok && text.includes('Second words.'));

    await (await fetch(`${base}/articles/fresh-probe`)).arrayBuffer();
    expect((await api({ method: 'DELETE' })).status).toBe(200);
    times.unpublish = await visibleAfter((res) => res.status === 404);

    console.log(`publish-to-visible (ms): ${JSON.stringify(times)}`);
    for (const ms of Object.values(times)) expect(ms).toBeLessThan(1_000);
  }, 60_000);
});

describe('one owner of the local state', () => {
  const env = (): Record<string, string | undefined> => ({
    ...process.env,
    PATH: `${path.join(dir, 'node_modules', '.bin')}:${process.env.PATH}`,
    WRANGLER_SEND_METRICS: 'false',
  });
  const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const scheduled = (slug: string, publishAt: string) =>
    `---\ntitle: Scheduled ${slug}\nslug: ${slug}\ndescription: Goes out on time.\ndatePublished: 2026-12-01\npublishAt: ${publishAt}\n---\nOn time.\n`;
  const served = async (slug: string) => (await fetch(`${base}/articles/${slug}`)).status === 200;

  it('the CLI, run with no PORT, publishes through the running stack; both scheduled articles go out on time', async () => {
    // Whole seconds: publishAt is an RFC 3339 instant; 25 s leaves the CLI time to run.
    const goLive = Math.ceil((Date.now() + 25_000) / 1000) * 1000;
    const viaApi = await fetch(`${base}/api/articles/scheduled-by-api`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'text/markdown' },
      body: scheduled('scheduled-by-api', at(goLive)),
    });
    expect(viaApi.status, await viaApi.text()).toBe(201);
    await writeFile(
      path.join(dir, 'content', 'scheduled-by-file.md'),
      scheduled('scheduled-by-file', at(goLive)),
    );
    // As a new user runs it: no PORT, no --port.
    const noPort = env();
    delete noPort.PORT;
    const cli = await run(
      path.join(dir, 'node_modules', '.bin', 'tsx'),
      ['scripts/cli/publish.ts', '--local'],
      {
        cwd: dir,
        env: noPort,
      },
    );
    expect(cli.stdout + cli.stderr).toContain(`local stack at ${base}`);
    expect(await served('scheduled-by-api')).toBe(false);
    expect(await served('scheduled-by-file')).toBe(false);
    await waitFor(
      'both scheduled articles',
      async () => (await served('scheduled-by-api')) && (await served('scheduled-by-file')),
      60_000,
    );
    // On time: within the readers' freshness bound (docs/caching.md) after publishAt.
    const late = Date.now() - goLive;
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(5_000);
  }, 120_000);

  it('refuses a second npm start on the same state, naming the first', async () => {
    const second = await run(
      path.join(dir, 'node_modules', '.bin', 'tsx'),
      ['scripts/cli/start.ts'],
      {
        cwd: dir,
        env: { ...env(), PORT: String(await freePort()) },
      },
    ).catch((error: { code?: number; stderr?: string }) => error);
    expect('code' in second && second.code).toBe(1);
    const said = String('stderr' in second ? second.stderr : '');
    expect(said).toContain('npm start (process ');
    expect(said).toContain(`answers at ${base}: stop it first, or use it.`);
  }, 60_000);
});
