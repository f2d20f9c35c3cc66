/**
 * What one publish costs as the site grows: for sites of 1,000, 10,000 and 100,000 generated
 * articles, the KV keys and bytes that publishing one new article and editing one old article
 * write, and how long each takes. Runs the real publisher Worker and its Durable Object locally
 * (wrangler's startWorker, on a temporary state); the figures come from the publisher's own
 * account of each projection. They must not grow with the site.
 *
 * Then, for 0, 1,000 and 10,000 followers on up to 2,000 servers, what a publish writes in its
 * transaction and how long until every live follower server has its Create (measure-followers.ts).
 * Both tables go to build/measure-publish.json.
 *
 * Usage: npm run measure:publish [-- --sizes 1000,10000,100000 --followers 0,1000,10000
 *   --servers 2000]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ProjectionState } from '../../src/publisher/api-types';
import { generatedArticle } from '../lib/generate-articles';
import { localPublisher, type Publisher } from '../lib/publisher-client';
import { type FollowersRow, measureFollowers } from './measure-followers';

const BATCH = 1000;

async function call(publisher: Publisher, pathAndQuery: string, init: RequestInit) {
  const res = await publisher.api(pathAndQuery, init);
  const body = (await res.json()) as { projection?: ProjectionState; detail?: string };
  if (!res.ok) throw new Error(`${pathAndQuery}: ${res.status} ${body.detail ?? ''}`);
  return body;
}

async function seed(publisher: Publisher, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += BATCH) {
    const files = [];
    for (let i = start; i < Math.min(to, start + BATCH); i++) {
      files.push({ path: `content/generated-${i}.md`, source: generatedArticle(i) });
    }
    await call(publisher, '/api/sync', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ files, partial: true }),
    });
  }
}

async function timedPut(publisher: Publisher, slug: string, source: string) {
  // KV takes one write a second per key: a publish within a second of the last one has its
  // pointer write coalesced into the next (by the alarm). Measure whole, uncoalesced publishes.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const started = performance.now();
  const body = await call(publisher, `/api/articles/${slug}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/markdown' },
    body: source,
  });
  const ms = performance.now() - started;
  if (!body.projection?.complete) throw new Error(`${slug}: projection incomplete`);
  return { ms, keys: body.projection.written.keys, bytes: body.projection.written.bytes };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,10000,100000' },
      followers: { type: 'string', default: '0,1000,10000' },
      servers: { type: 'string', default: '2000' },
    },
  });
  const list = (text: string | undefined) =>
    (text ?? '')
      .split(',')
      .filter(Boolean)
      .map(Number)
      .sort((a, b) => a - b);
  const sizes = list(values.sizes);
  const state = await mkdtemp(path.join(tmpdir(), 'kvpress-measure-'));
  const publisher = await localPublisher(0, state);
  const rows: string[] = [];
  const sites: { size: number; added: object; edited: object }[] = [];
  try {
    let seeded = 0;
    for (const size of sizes) {
      const started = performance.now();
      await seed(publisher, seeded, size);
      seeded = size;
      console.error(
        `measure: ${size} articles seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const added = await timedPut(
        publisher,
        `fresh-${size}`,
        generatedArticle(size * 10).replace(/generated-\d+/, `fresh-${size}`),
      );
      // An old article: the oldest but ten, deep in the oldest index chunk.
      const edited = await timedPut(
        publisher,
        'generated-10',
        generatedArticle(10, `Edited for the ${size} site.`),
      );
      sites.push({ size, added, edited });
      const kb = (bytes: number) => (bytes / 1000).toFixed(1);
      rows.push(
        `| ${size.toLocaleString('en')} | ${added.keys} | ${kb(added.bytes)} KB | ${added.ms.toFixed(0)} ms | ${edited.keys} | ${kb(edited.bytes)} KB | ${edited.ms.toFixed(0)} ms |`,
      );
    }
  } finally {
    await publisher.close();
    await rm(state, { recursive: true, force: true });
  }
  console.log('| Site size | New article: KV keys | bytes | time | Edit: KV keys | bytes | time |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);

  const followersState = await mkdtemp(path.join(tmpdir(), 'kvpress-measure-followers-'));
  let followers: FollowersRow[] = [];
  try {
    followers = await measureFollowers(
      list(values.followers),
      Number(values.servers),
      followersState,
    );
  } finally {
    await rm(followersState, { recursive: true, force: true });
  }
  console.log(
    '\n| Followers | Servers | Transaction: storage growth | Publish | Every live server has the Create | Live servers delivered |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const f of followers) {
    console.log(
      `| ${f.followers.toLocaleString('en')} | ${f.servers} | ${f.transactionBytes} B | ${f.publishMs} ms | ${f.allDeliveredMs} ms | ${f.delivered}/${f.live} |`,
    );
  }
  await mkdir('build', { recursive: true });
  await writeFile(
    'build/measure-publish.json',
    `${JSON.stringify({ sites, followers }, null, 2)}\n`,
  );
  console.log('measure: → build/measure-publish.json');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
