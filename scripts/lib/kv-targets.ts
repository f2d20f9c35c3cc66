/**
 * Where `npm run publish` writes: the local KV that `wrangler dev` reads (through wrangler's
 * getPlatformProxy, so the same Miniflare state) or the deployed namespace (through the wrangler
 * CLI, with its login or CLOUDFLARE_API_TOKEN). Both look like the little of KVNamespace that
 * publishing needs.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { KvReader } from '../../src/articles/store';
import type { KvEntry } from '../../src/publisher/plan';

/** The part of a KVNamespace binding that local publishing uses. */
interface LocalKv extends KvReader {
  put(key: string, value: string): Promise<void>;
}

const run = promisify(execFile);

export interface KvTarget {
  /** Where this is, for messages: `local KV` or `remote KV`. */
  name: string;
  /** Reads as KVNamespace does, so the worker's validated store can read through it. */
  kv: KvReader;
  put(entries: readonly KvEntry[], onProgress?: (done: number) => void): Promise<void>;
  close(): Promise<void>;
}

/** Runs `work` on every item, at most `limit` at a time, retrying each up to 3 times. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  onProgress?: (done: number) => void,
): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      for (let attempt = 1; ; attempt++) {
        try {
          await work(item);
          break;
        } catch (error) {
          // KV allows one write per key per second and may throttle: back off and retry.
          if (attempt === 3) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1_100 * attempt));
        }
      }
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** @param persistTo the Miniflare state folder; default `.wrangler/state/v3`, what `wrangler dev` uses. */
export async function localTarget(persistTo?: string): Promise<KvTarget> {
  const { getPlatformProxy } = await import('wrangler');
  const proxy = await getPlatformProxy<{ ARTICLES: LocalKv }>({
    persist: persistTo ? { path: persistTo } : true,
  });
  const kv = proxy.env.ARTICLES;
  return {
    name: 'local KV',
    kv,
    put: (entries, onProgress) =>
      eachLimited(entries, 32, ({ key, value }) => kv.put(key, value), onProgress),
    close: () => proxy.dispose(),
  };
}

async function wrangler(...args: string[]): Promise<string> {
  const { stdout } = await run(
    'npx',
    ['wrangler', 'kv', ...args, '--binding', 'ARTICLES', '--remote'],
    { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, maxBuffer: 512 * 1024 * 1024 },
  );
  return stdout;
}

/** The deployed namespace, through `wrangler kv … --remote` (bulk files for writes). */
export async function remoteTarget(): Promise<KvTarget> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kvpress-publish-'));
  let files = 0;
  const bulkPut = async (entries: readonly KvEntry[]) => {
    const file = path.join(dir, `put-${files++}.json`);
    await writeFile(file, JSON.stringify(entries));
    await wrangler('bulk', 'put', file);
  };
  return {
    name: 'remote KV',
    kv: {
      async get(key) {
        try {
          return await wrangler('key', 'get', key, '--text');
        } catch (error) {
          // wrangler reports a missing key as an HTTP 404 (its wording varies by version).
          if (/\b404\b|not found/i.test(String((error as { stderr?: string }).stderr))) return null;
          throw error;
        }
      },
    },
    async put(entries, onProgress) {
      // wrangler splits bulk uploads into API-sized requests itself.
      await bulkPut(entries);
      onProgress?.(entries.length);
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
