/**
 * Loads the built content (build/kv-bulk.json) into the local KV that `wrangler dev` reads,
 * and removes what the build no longer contains, so starting twice never serves stale records.
 *
 * Usage: npm run kv:load   (after npm run content:build)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { KEY_PREFIX } from '../src/articles/keys';
import type { KvEntry } from './build-content';

const run = promisify(execFile);
const BULK_FILE = 'build/kv-bulk.json';
const BINDING = 'ARTICLES';

async function wrangler(...args: string[]): Promise<string> {
  const { stdout } = await run('npx', ['wrangler', ...args, '--binding', BINDING, '--local'], {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

async function main(): Promise<void> {
  const entries = JSON.parse(await readFile(BULK_FILE, 'utf8')) as KvEntry[];
  const wanted = new Set(entries.map((entry) => entry.key));

  const listed = JSON.parse(await wrangler('kv', 'key', 'list', '--prefix', KEY_PREFIX)) as {
    name: string;
  }[];
  const stale = listed.map((key) => key.name).filter((name) => !wanted.has(name));

  // Write first, delete after: the new index never names a record that is not there yet.
  await wrangler('kv', 'bulk', 'put', BULK_FILE);
  if (stale.length > 0) {
    const dir = await mkdtemp(path.join(tmpdir(), 'kvpress-'));
    try {
      const staleFile = path.join(dir, 'stale.json');
      await writeFile(staleFile, JSON.stringify(stale));
      await wrangler('kv', 'bulk', 'delete', staleFile, '--force');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  console.log(`local KV: ${entries.length} key(s) written, ${stale.length} stale key(s) removed`);
}

main().catch((error: unknown) => {
  console.error(`kv:load failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
