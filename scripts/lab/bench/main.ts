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
 *   --update-docs --before <git ref>]
 * With --before, the reader at that commit is measured too, interleaved in the same rounds, and a
 * before/after table of the ratios is printed (before.ts).
 * Writes build/bench.json and build/bench.svg (and, with --update-docs only, docs/bench.svg: the
 * tracked chart changes when asked); prints Markdown tables for docs/performance.md.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { articleKey, VERSION_KEY } from '../../../src/articles/keys';
import { newestFirst, summaryOf } from '../../../src/publisher/plan';
import { buildContent } from '../../cli/build-content';
import { generateArticles } from '../../lib/generate-articles';
import { bundleWorker, type LocalWorker, startLocalWorker } from '../../lib/local-worker';
import { renderMicroBench } from '../lib/render-bench';
import { BEFORE_PREFIX, beforeAfterRows, startBefore } from './before';
import { chooseGenerator, type LoadResult, load, median, type Target, usesWrk } from './load';
import { markdownReport, svgChart } from './report';
import { ARTICLE, readerTargets, SERVER_CORE, startBaseline, startNginx } from './targets';

const run = promisify(execFile);

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '2' },
    connections: { type: 'string', default: '8' },
    generator: { type: 'string', default: 'auto' },
    'update-docs': { type: 'boolean', default: false },
    before: { type: 'string' },
  },
});
const ROUNDS = Number(args.rounds);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);

async function main(): Promise<void> {
  const started = performance.now();
  if (cpus().length < 2) console.warn('bench: fewer than 2 cores; server and load share one');
  // This process and everything it starts (workerd, nginx) run on the server core.
  await run('taskset', ['-p', '-c', SERVER_CORE, String(process.pid)]);
  await chooseGenerator(args.generator ?? 'auto');
  console.log(
    `bench: load from ${usesWrk() ? 'wrk' : 'autocannon, latency from a Node client'}, ${ROUNDS} rounds × ${DURATION} s × ${CONNECTIONS} connections`,
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

    // The reader at another commit, with its own bundle and content build (--before).
    const before = args.before
      ? await startBefore(args.before, path.join(tmp, 'before'), started_)
      : undefined;

    const targets: Target[] = [
      { name: 'baseline worker (constant page)', url: `${baseline.url}/`, headers: {} },
      {
        name: `baseline + kvpress's ${articleHeaders.length} headers`,
        url: `${withHeaders.url}/`,
        headers: {},
      },
      { name: 'baseline + one KV read + the headers', url: `${withKvRead.url}/`, headers: {} },
      ...readerTargets(site, uncached, etag),
      { name: '10,000-article site: home', url: `${bigSite.url}/`, headers: {} },
      { name: '10,000-article site: Atom feed', url: `${bigSite.url}/feed.xml`, headers: {} },
      ...(nginx
        ? [{ name: 'nginx static file (context)', url: `${nginx.url}/article.html`, headers: {} }]
        : []),
    ];
    // Each before target right after its twin: both see the same moment of the machine.
    for (const twin of before?.targets ?? []) {
      const at = targets.findIndex((t) => `${BEFORE_PREFIX}${t.name}` === twin.name);
      targets.splice(at + 1, 0, twin);
    }

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

    // The goals, each as a per-round ratio to its reference (median over rounds).
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

    const beforeAfter = args.before ? beforeAfterRows(rounds, baselineName) : [];

    const results = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
      generator: usesWrk() ? 'wrk' : 'autocannon + Node latency client',
      settings: { rounds: ROUNDS, durationSeconds: DURATION, connections: CONNECTIONS },
      bundleKiB: bundle.uploadKiB,
      coldStartMs,
      contentBuild10kMs,
      renderMicroseconds: await renderMicroBench(build.records[0]),
      targets: rows,
      goals,
      ...(args.before ? { before: { ref: args.before, rows: beforeAfter } } : {}),
      elapsedSeconds: (performance.now() - started) / 1000,
    };
    await mkdir('build', { recursive: true });
    await writeFile('build/bench.json', `${JSON.stringify(results, null, 2)}\n`);
    const chart = svgChart(
      rows.map((r) => ({ name: r.name, median: r.ratio, min: r.ratioMin, max: r.ratioMax })),
    );
    await writeFile('build/bench.svg', chart);
    if (args['update-docs']) await writeFile('docs/bench.svg', chart);

    for (const line of markdownReport(results, beforeAfter, args.before)) console.log(line);
    console.log(
      `bench: done in ${results.elapsedSeconds.toFixed(0)} s → build/bench.json, build/bench.svg${args['update-docs'] ? ', docs/bench.svg' : ''}`,
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
