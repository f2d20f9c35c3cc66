/**
 * The bench's targets besides the reader itself: a baseline Worker that answers a fixed page
 * with no work, and nginx serving the same bytes from disk (when it is installed).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { COMPATIBILITY_DATE } from '../../lib/local-worker';
import type { Target } from './load';

const _run = promisify(execFile);
/** The server's core (the load has the other: load.ts). */
export const SERVER_CORE = '0';
export const ARTICLE = '/articles/trump-seeks-to-renew-relations-with-putins-russia';

export async function startBaseline(
  page: string,
  headers: [string, string][],
  kvRead?: { key: string; value: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const read = kvRead
    ? `await env.ARTICLES.get(${JSON.stringify(kvRead.key)}, { type: 'text', cacheTtl: 86400 });`
    : '';
  const mf = new Miniflare(
    // Miniflare 5 takes config-shaped options; this converts the flat single-worker form.
    convertV4MiniflareOptions({
      modules: true,
      script: `const PAGE = ${JSON.stringify(page)};
const HEADERS = new Headers(${JSON.stringify(headers)});
export default { async fetch(request, env) { ${read} return new Response(PAGE, { headers: HEADERS }); } };`,
      compatibilityDate: COMPATIBILITY_DATE,
      cf: false,
      host: '127.0.0.1',
      port: 0,
      kvNamespaces: ['ARTICLES'],
    }),
  );
  const url = (await mf.ready).origin;
  if (kvRead) await (await mf.getKVNamespace('ARTICLES')).put(kvRead.key, kvRead.value);
  return { url, close: () => mf.dispose() };
}

export async function startNginx(
  dir: string,
  page: string,
): Promise<{ url: string; close(): Promise<void> } | undefined> {
  if (!existsSync('/usr/sbin/nginx')) return undefined;
  const port = 18_000 + Math.floor(Math.random() * 1000);
  await mkdir(path.join(dir, 'html'), { recursive: true });
  await writeFile(path.join(dir, 'html', 'article.html'), page);
  // nginx's workers run as nobody: they must be able to walk into the temporary folder.
  for (
    let folder = path.join(dir, 'html');
    folder.startsWith(tmpdir()) && folder !== tmpdir();
    folder = path.dirname(folder)
  ) {
    await chmod(folder, 0o755);
  }
  await writeFile(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:${port}; root ${dir}/html; default_type text/html; } }`,
  );
  const child = spawn(
    'taskset',
    ['-c', SERVER_CORE, 'nginx', '-p', dir, '-c', path.join(dir, 'nginx.conf')],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 50; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/article.html`)).ok) break;
    } catch {
      // not listening yet: wait and retry
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return; // never started, or gone
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      child.kill('SIGKILL');
    },
  };
}

// Reference workers (grey in the chart) beside kvpress's own targets (blue).
export const REFERENCE = /^(?:baseline|nginx)/;

/**
 * The reader's own targets on a site (warm tiers) and its twin with no cache tiers; `prefix`
 * names another tree's reader (before.ts). The ETag is the site's own (the render version is in it).
 */
export function readerTargets(
  site: { url: string },
  uncached: { url: string },
  etag: string,
  prefix = '',
): Target[] {
  return [
    {
      name: `${prefix}article HTML, warm cache`,
      url: site.url + ARTICLE,
      headers: { Accept: 'text/html' },
    },
    {
      name: `${prefix}article JSON, warm cache`,
      url: site.url + ARTICLE,
      headers: { Accept: 'application/json' },
    },
    {
      name: `${prefix}article, no cache tiers (KV + render)`,
      url: uncached.url + ARTICLE,
      headers: {},
    },
    // Revalidation as clients do it: the same request as the 200 that gave the ETag, plus If-None-Match.
    {
      name: `${prefix}If-None-Match → 304`,
      url: site.url + ARTICLE,
      headers: { Accept: '*/*', 'If-None-Match': etag },
      expect: 304,
    },
    { name: `${prefix}home page`, url: `${site.url}/`, headers: {} },
  ];
}
