/**
 * How fast kvpress serves, as ratios to the runtime's own limit on this machine.
 *
 * The real built worker (the `wrangler deploy --dry-run` bundle) with the real content runs under
 * workerd through Miniflare's API; beside it, a baseline worker that returns a constant page of
 * the same size (what workerd itself can do here), the same with every header kvpress sends and
 * the same after one KV read (what those cost), and, when nginx is installed, the same HTML as a
 * static file (what the machine can do). Load comes from wrk, pinned to the other core (installed
 * with apt-get when missing and running as root; else autocannon for throughput and a Node client
 * for µs latencies); targets are interleaved over rounds; throughput runs are saturated, latency
 * runs use one connection (saturated p99s mostly measure workerd's GC pauses). Each target says
 * which status it expects (the revalidation target: 304); any other answer is an error.
 *
 * Usage: npm run bench [-- --rounds 5 --duration 2 --connections 8 --generator auto|wrk|autocannon
 *   --update-docs]
 * Writes build/bench.json and build/bench.svg (and, with --update-docs only, docs/bench.svg: the
 * tracked chart changes when asked); prints Markdown tables for docs/performance.md.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { articleKey, VERSION_KEY } from '../../src/articles/keys';
import { newestFirst, summaryOf } from '../../src/publisher/plan';
import { buildContent } from '../cli/build-content';
import { generateArticles } from '../lib/generate-articles';
import {
  bundleWorker,
  COMPATIBILITY_DATE,
  type LocalWorker,
  startLocalWorker,
} from '../lib/local-worker';
import { renderMicroBench } from './lib/render-bench';

const run = promisify(execFile);
const ARTICLE = '/articles/trump-seeks-to-renew-relations-with-putins-russia';
const SERVER_CORE = '0';
const CLIENT_CORE = '1';

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** The status every answer must have (default 200); anything else counts as an error. */
  expect?: number;
}

interface LoadResult {
  rps: number;
  errors: number;
}

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '2' },
    connections: { type: 'string', default: '8' },
    generator: { type: 'string', default: 'auto' },
    'update-docs': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(args.rounds);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);

const WRK = '/usr/bin/wrk';
let hasWrk = existsSync(WRK);

/** wrk if it is here, or can be installed (root, apt-get); says what it does either way. */
async function chooseGenerator(): Promise<void> {
  if (args.generator === 'autocannon') hasWrk = false;
  if (hasWrk || args.generator === 'autocannon') return;
  const root = process.getuid?.() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    console.log('bench: wrk is not installed; installing it with apt-get (running as root)…');
    try {
      await run('apt-get', ['update', '-qq']);
      await run('apt-get', ['install', '-y', '-qq', 'wrk']);
    } catch (error) {
      console.warn(
        `bench: apt-get could not install wrk: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    hasWrk = existsSync(WRK);
  }
  if (args.generator === 'wrk' && !hasWrk)
    throw new Error('wrk is not installed (apt-get install wrk)');
  if (!hasWrk) {
    console.log(
      `bench: wrk ${root ? 'could not be installed' : 'is not installed (install it as root: apt-get install wrk)'}; ` +
        'using autocannon for throughput and a Node client for latency (µs)',
    );
  }
}

/** Answers of another status than the target expects, from counts by status. */
function unexpected(target: Target, counts: Record<string, number>): number {
  const expected = String(target.expect ?? 200);
  return Object.entries(counts).reduce(
    (sum, [status, n]) => sum + (status === expected ? 0 : n),
    0,
  );
}
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** wrk's durations (`812.00us`, `1.20ms`, `2.00s`) in milliseconds. */
function ms(text: string): number {
  const match = /([\d.]+)(us|ms|s)/.exec(text);
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

const headerArgs = (headers: Record<string, string>) =>
  Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);

/** wrk script: counts responses by status; prints them, and the first error's body. */
const STATUS_LUA = `
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 400 and not shown then
    shown = true
    print("first-error " .. status .. " " .. string.gsub(string.sub(body, 1, 200), "%s+", " "))
  end
end
function done(summary, latency, requests)
  io.write("statuses")
  for _, t in ipairs(threads) do for k, v in pairs(t:get("statuses")) do io.write(" ", k, "=", v) end end
  print()
end
`;
let statusScript: string | undefined;

async function wrk(target: Target, connections: number, seconds: number, latency = false) {
  if (!statusScript) {
    statusScript = path.join(tmpdir(), `kvpress-bench-status-${process.pid}.lua`);
    await writeFile(statusScript, STATUS_LUA);
  }
  const { stdout } = await run('taskset', [
    '-c',
    CLIENT_CORE,
    'wrk',
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '-s',
    statusScript,
    ...(latency ? ['--latency'] : []),
    ...headerArgs(target.headers),
    target.url,
  ]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 'NaN');
  const statuses = /^statuses(.*)$/m.exec(stdout)?.[1]?.trim() ?? '';
  const counts: Record<string, number> = {};
  for (const pair of statuses.split(/\s+/).filter(Boolean)) {
    const [status = '', n = '0'] = pair.split('=');
    counts[status] = (counts[status] ?? 0) + Number(n);
  }
  const bad = unexpected(target, counts);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  const errors = bad + (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
  if (errors > 0) {
    // Say which kind: which statuses (and the first error body), or which socket errors.
    const first = /^first-error (.*)$/m.exec(stdout)?.[1] ?? '';
    console.warn(
      `bench: ${target.name}: ${bad} not ${target.expect ?? 200} [${statuses}] ${first}; socket ${socket?.slice(1).join('/') ?? '0/0/0/0'} (connect/read/write/timeout)`,
    );
  }
  const p50 = ms(/\s50%\s+(\S+)/.exec(stdout)?.[1] ?? '');
  const p99 = ms(/\s99%\s+(\S+)/.exec(stdout)?.[1] ?? '');
  return { rps, errors, p50, p99 };
}

async function autocannon(target: Target, connections: number, seconds: number) {
  const { stdout } = await run(
    'taskset',
    [
      '-c',
      CLIENT_CORE,
      'npx',
      'autocannon',
      '--json',
      '-c',
      String(connections),
      '-d',
      String(seconds),
      ...Object.entries(target.headers).flatMap(([n, v]) => ['-H', `${n}=${v}`]),
      target.url,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const report = JSON.parse(stdout) as {
    requests: { average: number };
    errors: number;
    statusCodeStats?: Record<string, { count: number }>;
  };
  const counts = Object.fromEntries(
    Object.entries(report.statusCodeStats ?? {}).map(([status, { count }]) => [status, count]),
  );
  const bad = unexpected(target, counts);
  if (bad + report.errors > 0) {
    console.warn(
      `bench: ${target.name}: ${bad} not ${target.expect ?? 200} ${JSON.stringify(counts)}; ${report.errors} socket errors`,
    );
  }
  // autocannon's latencies are whole milliseconds: the latency runs use latencyRun instead.
  return {
    rps: report.requests.average,
    errors: report.errors + bad,
    p50: Number.NaN,
    p99: Number.NaN,
  };
}

/**
 * Latency without wrk: one connection, one request after another from this process for `seconds`,
 * each timed with the high-resolution clock (µs). The client is slower than wrk's C, so these
 * include more client time; they are compared with the baseline measured the same way.
 */
async function latencyRun(target: Target, seconds: number) {
  // A child on the client core (this process shares the server core with workerd).
  const { stdout } = await run('taskset', [
    '-c',
    CLIENT_CORE,
    process.execPath,
    '--input-type=module',
    '-e',
    LATENCY_CLIENT,
    JSON.stringify({ ...target, seconds }),
  ]);
  return JSON.parse(stdout) as { rps: number; errors: number; p50: number; p99: number };
}

const LATENCY_CLIENT = `
const { url, headers, expect = 200, seconds } = JSON.parse(process.argv[1]);
const samples = [];
let errors = 0;
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  const start = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  samples.push(performance.now() - start);
  if (res.status !== expect) errors += 1;
}
samples.sort((a, b) => a - b);
const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
console.log(JSON.stringify({ rps: samples.length / seconds, errors, p50: at(0.5), p99: at(0.99) }));
`;

const load = (target: Target, connections: number, seconds: number, latency = false) =>
  hasWrk
    ? wrk(target, connections, seconds, latency)
    : latency
      ? latencyRun(target, seconds)
      : autocannon(target, connections, seconds);

/** A worker that returns `page` with the article's headers: workerd's own limit here. */
/**
 * A constant worker under the same Miniflare: the page with one header (the runtime's limit), or
 * with every header kvpress sends (what those headers cost), or after one KV read of the
 * article's record (what Miniflare's KV simulator costs per read).
 */
async function startBaseline(
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

async function startNginx(
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
const REFERENCE = /^(?:baseline|nginx)/;

function svgChart(rows: { name: string; median: number; min: number; max: number }[]): string {
  const width = 820;
  const left = 260;
  const barHeight = 22;
  const top = 40;
  const scale = (ratio: number) => left + Math.min(ratio, 1.2) * ((width - left - 130) / 1.2);
  const bars = rows.map((row, i) => {
    const y = top + i * (barHeight + 10);
    return `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${row.name}</text>
<rect x="${left}" y="${y}" width="${scale(row.median) - left}" height="${barHeight}" fill="${REFERENCE.test(row.name) ? '#9aa0a6' : '#0b57d0'}"/>
<line x1="${scale(row.min)}" x2="${scale(row.max)}" y1="${y + barHeight / 2}" y2="${y + barHeight / 2}" stroke="#111" stroke-width="2"/>
<text x="${Math.max(scale(row.median), scale(row.max)) + 6}" y="${y + 15}">${(row.median * 100).toFixed(0)} %${row.median > 1.2 ? ' (off scale)' : ''}</text>`;
  });
  const height = top + rows.length * (barHeight + 10) + 30;
  const one = scale(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="13" role="img">
<title>kvpress requests per second as a share of the baseline worker</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="22" font-weight="700">Requests/s as a share of the baseline worker (bar: median; line: min–max of rounds)</text>
<line x1="${one}" x2="${one}" y1="${top - 6}" y2="${height - 24}" stroke="#999" stroke-dasharray="4 3"/>
<text x="${one}" y="${height - 8}" text-anchor="middle" fill="#555">baseline = 100 %</text>
${bars.join('\n')}
</svg>
`;
}

async function main(): Promise<void> {
  const started = performance.now();
  if (cpus().length < 2) console.warn('bench: fewer than 2 cores; server and load share one');
  // This process and everything it starts (workerd, nginx) run on the server core.
  await run('taskset', ['-p', '-c', SERVER_CORE, String(process.pid)]);
  await chooseGenerator();
  console.log(
    `bench: load from ${hasWrk ? 'wrk' : 'autocannon, latency from a Node client'}, ${ROUNDS} rounds × ${DURATION} s × ${CONNECTIONS} connections`,
  );

  const tmp = await mkdtemp(path.join(tmpdir(), 'kvpress-bench-'));
  const started_: { close(): Promise<void> }[] = [];
  try {
    const bundle = await bundleWorker();
    started_.push({ close: bundle.cleanup });
    const build = await buildContent('tests/fixtures/content');
    if (!build.ok) throw new Error(build.errors.join('\n'));

    // Cold start: Miniflare start to the first 200.
    const coldStart = performance.now();
    const site = await startLocalWorker({ bundleDir: bundle.dir, entries: build.entries });
    const first = await site.fetch(ARTICLE);
    await first.arrayBuffer();
    const coldStartMs = performance.now() - coldStart;
    started_.push(site);
    const uncached = await startLocalWorker({
      bundleDir: bundle.dir,
      entries: build.entries,
      vars: { MEMORY_CACHE_BYTES: '0', EDGE_CACHE: 'off' },
    });
    started_.push(uncached);

    // A 10,000-article site: the index (all pages) and the newest records its home and feed read.
    await generateArticles(path.join(tmp, 'big'), 10_000);
    const bigBuildStart = performance.now();
    const big = await buildContent(path.join(tmp, 'big'));
    const contentBuild10kMs = performance.now() - bigBuildStart;
    if (!big.ok) throw new Error(big.errors.slice(0, 3).join('\n'));
    const newest = big.records.map(summaryOf).sort(newestFirst).slice(0, 20);
    const needed = new Set(newest.map((a) => articleKey(a.slug, a.hash)));
    const bigEntries = big.entries.filter(
      (e) => !e.key.startsWith('v1:article:') || needed.has(e.key),
    );
    const bigSite: LocalWorker = await startLocalWorker({
      bundleDir: bundle.dir,
      entries: bigEntries,
    });
    started_.push(bigSite);
    if (!bigEntries.some((e) => e.key === VERSION_KEY)) throw new Error('no version pointer');

    // The second answer is the fast path's, with exactly the headers every warm answer has.
    await (await site.fetch(ARTICLE, { headers: { Accept: 'text/html' } })).arrayBuffer();
    const warm = await site.fetch(ARTICLE, { headers: { Accept: 'text/html' } });
    const page = await warm.text();
    const etag = (await site.fetch(ARTICLE)).headers.get('ETag') ?? '';
    const contentType: [string, string] = ['content-type', 'text/html; charset=utf-8'];
    const baseline = await startBaseline(page, [contentType]);
    started_.push(baseline);
    // Framing headers are the runtime's own; the rest are what kvpress sends with the page.
    const articleHeaders = [...warm.headers].filter(
      ([name]) => !['content-encoding', 'transfer-encoding', 'content-length'].includes(name),
    );
    const withHeaders = await startBaseline(page, articleHeaders);
    started_.push(withHeaders);
    const recordEntry = build.entries.find((entry) => entry.key.startsWith('v1:article:'));
    if (!recordEntry) throw new Error('no article record in the build');
    // The miss path's reference: one KV read, then the page with the same headers kvpress sends.
    const withKvRead = await startBaseline(page, articleHeaders, recordEntry);
    started_.push(withKvRead);
    const nginx = await startNginx(path.join(tmp, 'nginx'), page);
    if (nginx) started_.push(nginx);

    const targets: Target[] = [
      { name: 'baseline worker (constant page)', url: `${baseline.url}/`, headers: {} },
      {
        name: `baseline + kvpress's ${articleHeaders.length} headers`,
        url: `${withHeaders.url}/`,
        headers: {},
      },
      { name: 'baseline + one KV read + the headers', url: `${withKvRead.url}/`, headers: {} },
      {
        name: 'article HTML, warm cache',
        url: site.url + ARTICLE,
        headers: { Accept: 'text/html' },
      },
      {
        name: 'article JSON, warm cache',
        url: site.url + ARTICLE,
        headers: { Accept: 'application/json' },
      },
      { name: 'article, no cache tiers (KV + render)', url: uncached.url + ARTICLE, headers: {} },
      // Revalidation as clients do it: the same request as the 200 that gave the ETag, plus If-None-Match.
      {
        name: 'If-None-Match → 304',
        url: site.url + ARTICLE,
        headers: { Accept: '*/*', 'If-None-Match': etag },
        expect: 304,
      },
      { name: 'home page', url: `${site.url}/`, headers: {} },
      { name: '10,000-article site: home', url: `${bigSite.url}/`, headers: {} },
      { name: '10,000-article site: Atom feed', url: `${bigSite.url}/feed.xml`, headers: {} },
      ...(nginx
        ? [{ name: 'nginx static file (context)', url: `${nginx.url}/article.html`, headers: {} }]
        : []),
    ];

    // Warm-up: every target once under load, every cache filled.
    for (const target of targets) await load(target, CONNECTIONS, 1);

    const rounds: Record<string, LoadResult[]> = Object.fromEntries(
      targets.map((t) => [t.name, []]),
    );
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) {
        const result = await load(target, CONNECTIONS, DURATION);
        rounds[target.name]?.push({ rps: result.rps, errors: result.errors });
      }
      console.log(`bench: round ${round + 1}/${ROUNDS} done`);
    }
    const latency: Record<string, { p50: number; p99: number }> = {};
    for (const target of targets) {
      // Half the duration (at least 1 s): thousands of samples, and the run stays under 3 minutes.
      const result = await load(target, 1, Math.max(1, Math.round(DURATION / 2)), true);
      latency[target.name] = { p50: result.p50, p99: result.p99 };
    }

    const baselineName = targets[0]?.name ?? '';
    const baseRounds = rounds[baselineName] ?? [];
    const baseLatency = latency[baselineName] ?? { p50: Number.NaN, p99: Number.NaN };
    const rows = targets.map((target) => {
      const results = rounds[target.name] ?? [];
      const ratios = results.map((r, i) => r.rps / (baseRounds[i]?.rps ?? Number.NaN));
      const lat = latency[target.name] ?? { p50: Number.NaN, p99: Number.NaN };
      return {
        name: target.name,
        rps: median(results.map((r) => r.rps)),
        rpsMin: Math.min(...results.map((r) => r.rps)),
        rpsMax: Math.max(...results.map((r) => r.rps)),
        errors: results.reduce((sum, r) => sum + r.errors, 0),
        ratio: median(ratios),
        ratioMin: Math.min(...ratios),
        ratioMax: Math.max(...ratios),
        p50: lat.p50,
        p99: lat.p99,
        p50Ratio: lat.p50 / baseLatency.p50,
        p99Ratio: lat.p99 / baseLatency.p99,
      };
    });

    // The issue's goals, each as a per-round ratio to its reference (median over rounds).
    const perRound = (name: string, reference: string) => {
      const a = rounds[name] ?? [];
      const b = rounds[reference] ?? [];
      return median(a.map((r, i) => r.rps / (b[i]?.rps ?? Number.NaN)));
    };
    const headersRef = targets[1]?.name ?? '';
    const kvRef = targets[2]?.name ?? '';
    const goals = [
      {
        goal: 'warm article HTML vs baseline + headers',
        target: 'article HTML, warm cache',
        reference: headersRef,
        min: 0.95,
      },
      {
        goal: 'warm article JSON vs baseline + headers',
        target: 'article JSON, warm cache',
        reference: headersRef,
        min: 0.95,
      },
      {
        goal: '304 vs one-header baseline',
        target: 'If-None-Match → 304',
        reference: baselineName,
        min: 1,
      },
      {
        goal: 'miss (KV + render) vs one KV read + headers',
        target: 'article, no cache tiers (KV + render)',
        reference: kvRef,
        min: 0.7,
      },
    ].map((g) => ({ ...g, ratio: perRound(g.target, g.reference) }));

    const results = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
      generator: hasWrk ? 'wrk' : 'autocannon + Node latency client',
      settings: { rounds: ROUNDS, durationSeconds: DURATION, connections: CONNECTIONS },
      bundleKiB: bundle.uploadKiB,
      coldStartMs,
      contentBuild10kMs,
      renderMicroseconds: await renderMicroBench(build.records[0]),
      targets: rows,
      goals,
      elapsedSeconds: (performance.now() - started) / 1000,
    };
    await mkdir('build', { recursive: true });
    await writeFile('build/bench.json', `${JSON.stringify(results, null, 2)}\n`);
    const chart = svgChart(
      rows.map((r) => ({ name: r.name, median: r.ratio, min: r.ratioMin, max: r.ratioMax })),
    );
    await writeFile('build/bench.svg', chart);
    if (args['update-docs']) await writeFile('docs/bench.svg', chart);

    const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
    console.log(
      `\nMachine: ${results.machine}; load: ${results.generator}, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${DURATION} s\n`,
    );
    console.log(
      '| Target | req/s (median, min–max) | errors | vs baseline (median, min–max) | p50 ms (×base) | p99 ms (×base) |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const r of rows) {
      console.log(
        `| ${r.name} | ${fmt(r.rps)} (${fmt(r.rpsMin)}–${fmt(r.rpsMax)}) | ${r.errors} | ${fmt(r.ratio * 100)} % (${fmt(r.ratioMin * 100)}–${fmt(r.ratioMax * 100)}) | ${fmt(r.p50, 3)} (${fmt(r.p50Ratio, 2)}) | ${fmt(r.p99, 3)} (${fmt(r.p99Ratio, 2)}) |`,
      );
    }
    console.log('\n| Goal | measured (median of per-round ratios) | goal | met |');
    console.log('| --- | --- | --- | --- |');
    for (const g of goals) {
      console.log(
        `| ${g.goal} | ${fmt(g.ratio * 100, 1)} % | ≥ ${fmt(g.min * 100)} % | ${g.ratio >= g.min ? 'yes' : 'no'} |`,
      );
    }
    console.log(
      `\nBundle: ${results.bundleKiB.raw} KiB raw, ${results.bundleKiB.gzip} KiB gzip · cold start ${fmt(coldStartMs)} ms · content build, 10,000 articles: ${fmt(contentBuild10kMs / 1000, 1)} s`,
    );
    console.log(
      `Render (µs, median): ${Object.entries(results.renderMicroseconds)
        .map(([k, v]) => `${k} ${fmt(v, 1)}`)
        .join(', ')}`,
    );
    console.log(
      `bench: done in ${fmt(results.elapsedSeconds, 0)} s → build/bench.json, build/bench.svg${args['update-docs'] ? ', docs/bench.svg' : ''}`,
    );
    const errors = rows.reduce((sum, r) => sum + r.errors, 0);
    if (errors > 0) {
      console.error(`bench: ${errors} error(s) under load`);
      process.exitCode = 1;
    }
  } finally {
    for (const server of started_.reverse()) await server.close().catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
