/**
 * The real built worker (the `wrangler deploy --dry-run` bundle) under workerd through
 * Miniflare's API, with the real content loaded into its KV: for the HTML checker, the browser
 * audit and the benchmarks. No `wrangler dev` proxy in the way.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import type { KvEntry } from '../build-content';

const run = promisify(execFile);

/** Bundles the worker exactly as a deploy would; returns the folder holding `index.js`. */
export async function bundleWorker(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kvpress-bundle-'));
  await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', dir], {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface LocalWorker {
  /** http://127.0.0.1:<port> */
  url: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface LocalWorkerOptions {
  bundleDir: string;
  entries: readonly KvEntry[];
  vars?: Record<string, string>;
  port?: number;
}

/** Starts the bundle under Miniflare with `entries` written to ARTICLES in order. */
export async function startLocalWorker(options: LocalWorkerOptions): Promise<LocalWorker> {
  const mf = new Miniflare({
    modules: [{ type: 'ESModule', path: path.join(options.bundleDir, 'index.js') }],
    modulesRoot: options.bundleDir,
    compatibilityDate: '2026-04-20',
    kvNamespaces: ['ARTICLES'],
    bindings: { SITE_NAME: 'kvpress', SITE_URL: '', ...options.vars },
    cf: false,
    port: options.port ?? 0,
    host: '127.0.0.1',
  });
  const url = (await mf.ready).origin;
  const kv = await mf.getKVNamespace('ARTICLES');
  for (const { key, value } of options.entries) await kv.put(key, value);
  return {
    url,
    fetch: (p, init) => fetch(url + p, init),
    close: () => mf.dispose(),
  };
}
