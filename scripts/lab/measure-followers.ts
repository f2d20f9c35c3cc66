/**
 * What a publish costs with followers, and how long its fan-out takes: for 0, 1,000 and 10,000
 * followers on up to 2,000 servers (a server is an origin: here a port on loopback), the
 * storage's growth in the publish's transaction (`committedBytes`, SQLite pages), the publish's
 * time, and the time until every live server's inbox has the article's Create. Of the servers,
 * 5 % answer after 10 s and 1 % refuse connections. The real publisher bundle runs under
 * Miniflare with its Durable Object; the followers are stored through its RPC while federation
 * is off (no Accepts to wait for), then it restarts with its keys. Outbound concurrency is held
 * to six connections by the publisher itself (src/publisher/connection-pool.ts), as production
 * holds it; workerd locally does not.
 *
 * Load: servers(); targets: the follower counts; report: the table and build/measure-publish.json.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from 'miniflare';
import { makeActorKeys } from '../cli/activitypub-keys';
import { generatedArticle } from '../lib/generate-articles';
import { bundleWorker, COMPATIBILITY_DATE } from '../lib/local-worker';

export interface FollowersRow {
  followers: number;
  servers: number;
  transactionBytes: number;
  publishMs: number;
  allDeliveredMs: number;
  /** Servers that answer at once, and how many of them had the Create when measured. */
  live: number;
  delivered: number;
}

const TOKEN = 'measure-followers-token-0123456789-abcdef';
const SLOW_PERCENT = 5;
const REFUSE_PERCENT = 1;

interface Fleet {
  servers: { origin: string; kind: 'live' | 'slow' | 'refuses'; creates: Set<string> }[];
  close(): Promise<void>;
}

/** `count` inbox servers on loopback: live ones answer at once, slow ones after 10 s. */
async function servers(count: number): Promise<Fleet> {
  const list: Fleet['servers'] = [];
  const open: Server[] = [];
  for (let i = 0; i < count; i++) {
    // Whole percentages of every hundred servers: the first SLOW_PERCENT slow, then refusing.
    const kind =
      i % 100 < SLOW_PERCENT
        ? 'slow'
        : i % 100 < SLOW_PERCENT + REFUSE_PERCENT
          ? 'refuses'
          : 'live';
    const entry = { origin: '', kind, creates: new Set<string>() } as Fleet['servers'][number];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let object: string | undefined;
        try {
          const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            type?: string;
            object?: { id?: string } | string;
          };
          if (activity.type === 'Create') {
            object = typeof activity.object === 'string' ? activity.object : activity.object?.id;
          }
        } catch {
          // not JSON: counted as nothing
        }
        const answer = () => {
          if (object) entry.creates.add(object);
          res.writeHead(202).end();
        };
        if (kind === 'slow') setTimeout(answer, 10_000);
        else answer();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    entry.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    list.push(entry);
    open.push(server);
  }
  // A server that refuses connections: its port is closed once it is known.
  await Promise.all(
    list.map((entry, i) =>
      entry.kind === 'refuses'
        ? new Promise<void>((resolve) => open[i]?.close(() => resolve()))
        : Promise.resolve(),
    ),
  );
  return {
    servers: list,
    close: async () => {
      for (const server of open) server.closeAllConnections();
      await Promise.all(open.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

async function publisher(bundleDir: string, persist: string, vars: Record<string, string>) {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: [{ type: 'ESModule', path: `${bundleDir}/index.js` }],
      modulesRoot: bundleDir,
      cf: false,
      compatibilityDate: COMPATIBILITY_DATE,
      // The node: modules Fedify imports, as wrangler's bundle leaves them.
      compatibilityFlags: ['nodejs_compat'],
      durableObjects: { SITE: { className: 'SiteWriter', useSQLite: true } },
      kvNamespaces: ['ARTICLES'],
      // Kept across the restart that turns federation on (Miniflare 5's persistence root).
      resourcePersistencePath: persist,
      bindings: { PUBLISH_TOKEN: TOKEN, POINTER_INTERVAL_MS: '0', ...vars },
      ...(process.env.MEASURE_DEBUG ? { log: new Log(LogLevel.DEBUG) } : {}),
    }),
  );
  await mf.ready;
  return mf;
}

/** The measure for each follower count, against `fleet`, each on a fresh state. */
export async function measureFollowers(
  counts: readonly number[],
  serverCount: number,
  persistRoot: string,
): Promise<FollowersRow[]> {
  const bundle = await bundleWorker('wrangler.publisher.toml');
  const fleet = await servers(serverCount);
  const keys = await makeActorKeys();
  const rows: FollowersRow[] = [];
  try {
    for (const followers of counts) {
      const persist = `${persistRoot}/followers-${followers}`;
      // Federation off while the followers are stored: no Accept is queued for them.
      const setup = await publisher(bundle.dir, persist, {});
      const ns = await setup.getDurableObjectNamespace('SITE');
      // The object's RPC method, as Miniflare's stub offers it to Node.
      const site = ns.get(ns.idFromName('site')) as unknown as {
        follow(
          follower: { actor: string; inbox: string; sharedInbox: string },
          follow: { type: string; actor: string; object: string },
        ): Promise<unknown>;
      };
      const used = fleet.servers.slice(0, Math.min(serverCount, Math.max(followers, 1)));
      for (let i = 0; i < followers; i++) {
        const server = used[i % used.length];
        if (!server) break;
        const actor = `${server.origin}/users/u${i}`;
        await site.follow(
          { actor, inbox: `${actor}/inbox`, sharedInbox: `${server.origin}/inbox` },
          { type: 'Follow', actor, object: 'http://measure.invalid/actor' },
        );
      }
      await setup.dispose();
      const mf = await publisher(bundle.dir, persist, {
        SITE_URL: 'http://measure.invalid',
        ACTIVITYPUB_PRIVATE_KEYS: keys.private,
        ACTIVITYPUB_PUBLIC_KEYS: keys.public,
        ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS: 'true',
      });
      try {
        const slug = `measured-${followers}`;
        const started = performance.now();
        const res = await mf.dispatchFetch(`http://measure.invalid/api/articles/${slug}`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'text/markdown' },
          body: generatedArticle(followers + 1).replace(/generated-\d+/, slug),
        });
        const publishMs = performance.now() - started;
        const answer = (await res.json()) as { committedBytes?: number; detail?: string };
        if (!res.ok) throw new Error(`PUT ${slug}: ${res.status} ${answer.detail ?? ''}`);
        const object = `http://measure.invalid/articles/${slug}`;
        const live = followers === 0 ? [] : used.filter((s) => s.kind === 'live');
        const deadline = Date.now() + 600_000;
        while (live.some((s) => !s.creates.has(object)) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const delivered = live.filter((s) => s.creates.has(object)).length;
        rows.push({
          followers,
          servers: followers === 0 ? 0 : used.length,
          transactionBytes: answer.committedBytes ?? Number.NaN,
          publishMs: Math.round(publishMs),
          allDeliveredMs: followers === 0 ? 0 : Math.round(performance.now() - started),
          live: live.length,
          delivered,
        });
        console.error(`measure: ${followers} followers: ${JSON.stringify(rows.at(-1))}`);
      } finally {
        await mf.dispose();
      }
    }
  } finally {
    await fleet.close();
    await bundle.cleanup();
  }
  return rows;
}
