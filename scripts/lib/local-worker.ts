/**
 * The real built worker (the `wrangler deploy --dry-run` bundle) under workerd through
 * Miniflare's API, with the real content loaded into its KV: for the HTML checker, the browser
 * audit and the benchmarks. No `wrangler dev` proxy in the way.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { VERSION_KEY } from '../../src/articles/keys';
import type { KvEntry } from '../cli/build-content';

const run = promisify(execFile);

/** The deployed worker's compatibility date, read from wrangler.toml: one place to change it. */
export const COMPATIBILITY_DATE = (() => {
  const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');
  const date = /^compatibility_date\s*=\s*"(\d{4}-\d{2}-\d{2})"/m.exec(toml)?.[1];
  if (!date) throw new Error('wrangler.toml has no compatibility_date');
  return date;
})();

export interface Bundle {
  /** The folder holding `index.js` and esbuild's `meta.json` (inputs, imports, bytes). */
  dir: string;
  /** What wrangler reports it would upload: `Total Upload: <raw> KiB / gzip: <gzip> KiB`. */
  uploadKiB: { raw: number; gzip: number };
  cleanup: () => Promise<void>;
}

/**
 * Bundles a Worker exactly as a deploy would (`wrangler deploy --dry-run --outdir`); the reader by
 * default, from this tree or another (`cwd`: the bench's --before tree).
 */
export async function bundleWorker(config = 'wrangler.toml', cwd = process.cwd()): Promise<Bundle> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kvpress-bundle-'));
  const { stdout } = await run(
    'npx',
    [
      'wrangler',
      'deploy',
      '--dry-run',
      '-c',
      config,
      '--outdir',
      dir,
      '--metafile',
      path.join(dir, 'meta.json'),
    ],
    { cwd, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
  const sizes = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(stdout);
  return {
    dir,
    uploadKiB: { raw: Number(sizes?.[1] ?? Number.NaN), gzip: Number(sizes?.[2] ?? Number.NaN) },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface LocalWorker {
  /** http://127.0.0.1:<port> */
  url: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface LocalWorkerOptions {
  bundleDir: string;
  /** The module file in bundleDir (default index.js). */
  main?: string;
  entries: readonly KvEntry[];
  vars?: Record<string, string>;
  port?: number;
}

/** Starts the bundle under Miniflare with `entries` written to ARTICLES in order. */
export async function startLocalWorker(options: LocalWorkerOptions): Promise<LocalWorker> {
  const mf = new Miniflare(
    // Miniflare 5 takes config-shaped options; this converts the flat single-worker form.
    convertV4MiniflareOptions({
      modules: [
        { type: 'ESModule', path: path.join(options.bundleDir, options.main ?? 'index.js') },
      ],
      modulesRoot: options.bundleDir,
      compatibilityDate: COMPATIBILITY_DATE,
      kvNamespaces: ['ARTICLES'],
      bindings: { SITE_NAME: 'kvpress', SITE_URL: '', ...options.vars },
      cf: false,
      port: options.port ?? 0,
      host: '127.0.0.1',
    }),
  );
  const url = (await mf.ready).origin;
  const kv = await mf.getKVNamespace('ARTICLES');
  // Content in parallel, 64 at a time (thousands of keys one by one take too long), then the
  // version pointer last, as a publish does.
  const content = options.entries.filter((entry) => entry.key !== VERSION_KEY);
  for (let i = 0; i < content.length; i += 64) {
    await Promise.all(content.slice(i, i + 64).map(({ key, value }) => kv.put(key, value)));
  }
  for (const { key, value } of options.entries) if (key === VERSION_KEY) await kv.put(key, value);
  return {
    url,
    fetch: (p, init) => fetch(url + p, init),
    close: () => mf.dispose(),
  };
}
