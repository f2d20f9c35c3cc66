/**
 * Soak: the real local stack (`wrangler dev`, real local KV) under a realistic mix of clients for
 * a bounded time, while a publisher re-publishes an article every few seconds through the
 * publishing API. Every response is checked: status, representation, a body that parses, an ETag
 * that always names the same bytes, and never the old revision once the freshness bound has
 * passed. Loopback only; stops everything it started.
 *
 * Usage: npm run soak [-- --duration 60 --clients 8 --port 8790]
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { freePort, startDevStack } from '../../lib/dev-env';
import { devVarsToken, newToken } from '../../lib/publisher-client';
import { percentile, wellFormed, workerdRssKiB } from './checks';
import { type Check, MIX, PROBE } from './targets';

const run = promisify(execFile);
// The publisher reads .dev.vars when there is one; else it takes ours from the environment.
const TOKEN = devVarsToken() ?? newToken();
/** The freshness bound (wrangler.toml's VERSION_MAX_AGE_MS), and slack for requests in flight. */
const BOUND_MS = 2_000 + 1_500;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    clients: { type: 'string', default: '8' },
    'publish-every': { type: 'string', default: '3' },
    // The port of the local stack; default: a free one.
    port: { type: 'string' },
  },
});
const DURATION_MS = Number(values.duration) * 1000;
const CLIENTS = Number(values.clients);
const PUBLISH_EVERY_MS = Number(values['publish-every']) * 1000;

async function main(): Promise<void> {
  const state = await mkdtemp(path.join(tmpdir(), 'kvpress-soak-'));
  const port = values.port ? Number(values.port) : await freePort();
  const base = `http://127.0.0.1:${port}`;
  let dev: ChildProcess | undefined;
  // Ctrl-C or a CI timeout must not leave wrangler and workerd running.
  const stop = () => {
    if (dev?.pid) {
      try {
        process.kill(-dev.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const wrong: string[] = [];
  let errors = 0;
  try {
    // The real local stack (both Workers) on a fresh state, then the real content through it.
    dev = await startDevStack({
      port,
      state,
      env: { PUBLISH_TOKEN: TOKEN },
    });

    await run(
      'npx',
      [
        'tsx',
        'scripts/cli/publish.ts',
        '--local',
        '--port',
        String(port),
        '--content',
        'tests/fixtures/content',
        '--quiet',
      ],
      {
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', PUBLISH_TOKEN: TOKEN },
      },
    );

    const shipped = await readFile(
      'tests/fixtures/content/trump-seeks-to-renew-relations-with-putins-russia.md',
      'utf8',
    );
    const revisionDocument = (n: number) =>
      shipped
        .replace(/^slug: .*$/m, `slug: ${PROBE}`)
        .replace('Beyond diplomatic relations', `Soak revision ${n}. Beyond diplomatic relations`);
    /** When each revision was acknowledged by the API (ms since epoch). */
    const publishedAt: number[] = [];
    let etag: string | undefined;
    const publish = async (n: number) => {
      const res = await fetch(`${base}/api/articles/${PROBE}`, {
        method: 'PUT',
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          'Content-Type': 'text/markdown',
          ...(etag ? { 'If-Match': etag } : { 'If-None-Match': '*' }),
        },
        body: revisionDocument(n),
      });
      const answer = (await res.json()) as { etag?: string };
      if (res.status !== 200 && res.status !== 201)
        wrong.push(`publish ${n}: status ${res.status} ${JSON.stringify(answer)}`);
      etag = answer.etag ?? undefined;
      publishedAt[n] = Date.now();
    };
    await publish(0);
    await new Promise((resolve) => setTimeout(resolve, BOUND_MS));

    const rssStart = await workerdRssKiB(dev?.pid);
    const started = Date.now();
    const deadline = started + DURATION_MS;
    const latencies: number[] = [];
    const bodyOfEtag = new Map<string, string>();
    const lastEtag = new Map<string, string>();
    /** Which probe revision each ETag was seen with, so a 304 can be checked for freshness. */
    const revisionOfEtag = new Map<string, number>();
    let requests = 0;

    const client = async (seed: number) => {
      let i = seed;
      while (Date.now() < deadline) {
        i = (i * 1103515245 + 12345) % 2147483648; // a small LCG: a varied, repeatable mix
        const check = MIX[i % MIX.length] as Check;
        const headers = { ...check.headers };
        // Now and then revalidate with the last ETag seen for this request.
        const memo = `${check.path}|${JSON.stringify(check.headers ?? {})}`;
        const conditional = !check.method && i % 5 === 0 && lastEtag.has(memo);
        if (conditional) headers['If-None-Match'] = lastEtag.get(memo) ?? '';
        const sentAt = Date.now();
        const t0 = performance.now();
        let res: Response;
        try {
          res = await fetch(base + check.path, { method: check.method ?? 'GET', headers });
        } catch (error) {
          errors++;
          wrong.push(`${check.name}: network error ${String(error)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        const body = await res.text();
        latencies.push(performance.now() - t0);
        requests++;
        if (res.status >= 500) errors++;
        const expected = conditional ? [...check.status, 304] : check.status;
        if (!expected.includes(res.status)) {
          wrong.push(`${check.name}: status ${res.status}, expected ${expected.join('/')}`);
          continue;
        }
        const due = publishedAt.findLastIndex((at) => at !== undefined && at + BOUND_MS < sentAt);
        if (res.status === 304 || check.method === 'HEAD') {
          if (body !== '') wrong.push(`${check.name}: ${res.status} with a body`);
          // A 304 confirms the ETag the client holds: it must not confirm an old revision.
          const confirmed = revisionOfEtag.get(headers['If-None-Match'] ?? '');
          if (res.status === 304 && confirmed !== undefined && confirmed < due) {
            wrong.push(
              `${check.name}: 304 confirmed revision ${confirmed} after revision ${due} was published`,
            );
          }
          continue;
        }
        if (check.type && !(res.headers.get('Content-Type') ?? '').startsWith(check.type)) {
          wrong.push(`${check.name}: Content-Type ${res.headers.get('Content-Type')}`);
          continue;
        }
        if (!wellFormed(check.parse, body))
          wrong.push(`${check.name}: body does not parse as ${check.parse}`);
        const tag = res.headers.get('ETag');
        if (tag) {
          const digest = createHash('sha256').update(body).digest('hex');
          const key = `${check.path}|${res.headers.get('Content-Type')}|${tag}`;
          const known = bodyOfEtag.get(key);
          if (known && known !== digest)
            wrong.push(`${check.name}: ETag ${tag} named two different bodies`);
          bodyOfEtag.set(key, digest);
          lastEtag.set(memo, tag);
        }
        if (check.path.endsWith(PROBE)) {
          const seen = Number(/Soak revision (\d+)\./.exec(body)?.[1] ?? -1);
          if (tag) revisionOfEtag.set(tag, seen);
          // `due`: the newest revision acknowledged long enough before this request was sent.
          if (seen < due)
            wrong.push(
              `${check.name}: revision ${seen} served ${sentAt - (publishedAt[due] ?? 0)} ms after revision ${due} was published`,
            );
        }
      }
    };

    const publisher = async () => {
      for (let n = 1; Date.now() + PUBLISH_EVERY_MS < deadline; n++) {
        await new Promise((resolve) => setTimeout(resolve, PUBLISH_EVERY_MS));
        await publish(n);
      }
    };

    await Promise.all([publisher(), ...Array.from({ length: CLIENTS }, (_, k) => client(k + 1))]);
    const rssEnd = await workerdRssKiB(dev?.pid);
    // The publisher's load from the readers' version source: its own count of the last minute.
    const status = await fetch(`${base}/api/status`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    const versionReads = status.ok
      ? ((await status.json()) as { versionReads: unknown }).versionReads
      : `GET /api/status answered ${status.status}`;
    latencies.sort((a, b) => a - b);
    const seconds = (Date.now() - started) / 1000;
    const report = {
      seconds: Math.round(seconds),
      clients: CLIENTS,
      requests,
      requestsPerSecond: Math.round(requests / seconds),
      revisionsPublished: publishedAt.length,
      errors,
      wrongAnswers: wrong.length,
      latencyMs: {
        p50: percentile(latencies, 50),
        p90: percentile(latencies, 90),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? Number.NaN,
      },
      workerdRssMiB: { start: Math.round(rssStart / 1024), end: Math.round(rssEnd / 1024) },
      publisherVersionReadsLastMinute: versionReads,
    };
    console.log(JSON.stringify(report, null, 2));
    for (const line of wrong.slice(0, 20)) console.error(`wrong: ${line}`);
    if (errors > 0 || wrong.length > 0) process.exitCode = 1;
    else console.log('soak: 0 errors, 0 wrong answers');
  } finally {
    if (dev?.pid) {
      try {
        process.kill(-dev.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    await rm(state, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`soak failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
