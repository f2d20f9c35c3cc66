/**
 * Loads the built content (build/kv-bulk.json) into the local KV that `wrangler dev` reads,
 * then removes what neither this build nor the previous publish uses, so starting twice never
 * serves stale records and a deleted content file is gone. The previous publish is kept one
 * round because readers may still hold its version pointer for a few seconds.
 *
 * Usage: npm run kv:load              (after npm run content:build; local KV of `wrangler dev`)
 *        npm run kv:load -- --remote  (the deployed namespace; needs wrangler login or a token)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { articleKey, indexKey, KEY_PREFIX, VERSION_KEY } from '../src/articles/keys';
import type { KvEntry } from './build-content';

const run = promisify(execFile);
const BULK_FILE = 'build/kv-bulk.json';
const BINDING = 'ARTICLES';
const WHERE = process.argv.includes('--remote') ? '--remote' : '--local';

async function wrangler(...args: string[]): Promise<string> {
  const { stdout } = await run('npx', ['wrangler', ...args, '--binding', BINDING, WHERE], {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

/** Keys the currently published version uses (its pointer target, index and records). */
async function keysOfPublishedVersion(existing: Set<string>): Promise<string[]> {
  if (!existing.has(VERSION_KEY)) return [];
  const { version } = JSON.parse(await wrangler('kv', 'key', 'get', VERSION_KEY)) as {
    version: string;
  };
  if (!existing.has(indexKey(version))) return [];
  const index = JSON.parse(await wrangler('kv', 'key', 'get', indexKey(version))) as {
    articles: { slug: string; hash: string }[];
  };
  return [indexKey(version), ...index.articles.map((a) => articleKey(a.slug, a.hash))];
}

async function main(): Promise<void> {
  const entries = JSON.parse(await readFile(BULK_FILE, 'utf8')) as KvEntry[];
  const listed = JSON.parse(await wrangler('kv', 'key', 'list', '--prefix', KEY_PREFIX)) as {
    name: string;
  }[];
  const existing = new Set(listed.map((key) => key.name));
  const keep = new Set([...entries.map((e) => e.key), ...(await keysOfPublishedVersion(existing))]);
  const stale = [...existing].filter((name) => !keep.has(name));

  // Records and index first, the version pointer last: it flips readers to a complete site.
  const pointer = entries.find((entry) => entry.key === VERSION_KEY);
  const dir = await mkdtemp(path.join(tmpdir(), 'kvpress-'));
  try {
    const contentFile = path.join(dir, 'content.json');
    await writeFile(contentFile, JSON.stringify(entries.filter((e) => e !== pointer)));
    await wrangler('kv', 'bulk', 'put', contentFile);
    if (pointer) await wrangler('kv', 'key', 'put', VERSION_KEY, pointer.value);
    if (stale.length > 0) {
      const staleFile = path.join(dir, 'stale.json');
      await writeFile(staleFile, JSON.stringify(stale));
      await wrangler('kv', 'bulk', 'delete', staleFile, '--force');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    `${WHERE.slice(2)} KV: ${entries.length} key(s) written, ${stale.length} unused key(s) removed`,
  );
}

main().catch((error: unknown) => {
  console.error(`kv:load failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
