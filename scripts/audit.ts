/**
 * The reader-facing audit, with real checkers, against the real built worker (Miniflare):
 *   - axe-core in headless Debian Chromium (playwright-core): violations, light and dark;
 *   - Lighthouse 13 (mobile preset): Performance, Accessibility, Best Practices, SEO;
 *   - screenshots of the article page (desktop light, mobile dark) into docs/screenshots/.
 * The Nu HTML Checker and the feed validation are quick and run in `npm test`.
 * Results: build/audit.json and a summary; exit code 1 when a goal is missed.
 *
 * Usage: npm run audit [-- --port 8790]   (needs Debian's chromium: `apt-get install -y chromium`)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { buildContent } from './build-content';
import { bundleWorker, startLocalWorker } from './lib/local-worker';

const CHROMIUM = '/usr/bin/chromium';
// --port <n>: serve the audited worker there (default: a free port).
const port = Number(parseArgs({ options: { port: { type: 'string' } } }).values.port ?? 0);
const ARTICLE = '/articles/trump-seeks-to-renew-relations-with-putins-russia';
const PAGES = { home: '/', article: ARTICLE, 'not-found': '/articles/no-such-article' };
const DEBUG_PORT = 9333;
// Without these, Chromium dials Google's services at start, and this network refuses them.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  console.log(`audit: ${CHROMIUM} is missing; installing Debian's chromium (apt-get, needs root)…`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit' });
  } catch {
    throw new Error(
      `Chromium is required at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium`,
    );
  }
}

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: unknown[] }[];
  passes: unknown[];
}

async function main(): Promise<void> {
  ensureChromium();
  const build = await buildContent('tests/fixtures/content');
  if (!build.ok) throw new Error(build.errors.join('\n'));
  const bundle = await bundleWorker();
  const worker = await startLocalWorker({
    bundleDir: bundle.dir,
    entries: build.entries,
    ...(port ? { port } : {}),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_FLAGS, `--remote-debugging-port=${DEBUG_PORT}`],
  });
  const axeSource = await readFile(new URL(import.meta.resolve('axe-core/axe.min.js')), 'utf8');
  const results: Record<string, unknown> = { url: worker.url, date: new Date().toISOString() };
  let failed = false;

  try {
    // axe-core, every page, light and dark.
    const axe: Record<string, string[]> = {};
    let axePasses = 0;
    for (const scheme of ['light', 'dark'] as const) {
      // Our CSP forbids every script, axe included: the audit context bypasses it to inject axe.
      const context = await browser.newContext({ colorScheme: scheme, bypassCSP: true });
      const page = await context.newPage();
      for (const [name, path] of Object.entries(PAGES)) {
        await page.goto(worker.url + path);
        await page.addScriptTag({ content: axeSource });
        const result = (await page.evaluate(() =>
          (globalThis as unknown as { axe: { run(): Promise<unknown> } }).axe.run(),
        )) as AxeResult;
        if (result.passes.length === 0) throw new Error(`axe checked nothing on ${path}`);
        axe[`${name} (${scheme})`] = result.violations.map(
          (v) => `${v.id} [${v.impact}] ${v.help} (${v.nodes.length})`,
        );
        axePasses += result.passes.length;
      }
      await context.close();
    }
    results.axe = axe;
    results.axeRulesPassed = axePasses;
    const violations = Object.values(axe).flat();
    if (violations.length > 0) failed = true;

    // Screenshots for the README.
    await mkdir('docs/screenshots', { recursive: true });
    const desktop = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
    });
    await (await desktop.newPage()).goto(worker.url + ARTICLE);
    await desktop.pages()[0]?.screenshot({ path: 'docs/screenshots/article-desktop-light.png' });
    await desktop.close();
    const mobile = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      colorScheme: 'dark',
    });
    await (await mobile.newPage()).goto(worker.url + ARTICLE);
    await mobile.pages()[0]?.screenshot({ path: 'docs/screenshots/article-mobile-dark.png' });
    await mobile.close();

    // Lighthouse, mobile preset (its default), on the article page.
    const run = await lighthouse(worker.url + ARTICLE, {
      port: DEBUG_PORT,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
    });
    const categories = run?.lhr.categories ?? {};
    const scores = Object.fromEntries(
      Object.entries(categories).map(([id, category]) => [
        id,
        Math.round((category.score ?? 0) * 100),
      ]),
    );
    results.lighthouse = scores;
    const missed = Object.entries(run?.lhr.audits ?? {})
      .filter(
        ([, audit]) =>
          audit.score !== null &&
          audit.score < 1 &&
          audit.scoreDisplayMode !== 'informative' &&
          audit.scoreDisplayMode !== 'manual' &&
          audit.scoreDisplayMode !== 'notApplicable',
      )
      .map(([id, audit]) => `${id}: ${audit.title} (${audit.displayValue ?? audit.score})`);
    results.lighthouseMissed = missed;
    if (Object.values(scores).some((score) => score < 100)) failed = true;
  } finally {
    await browser.close();
    await worker.close();
    await bundle.cleanup();
  }

  await mkdir('build', { recursive: true });
  await writeFile('build/audit.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
  console.log(failed ? 'audit: goals missed (see above)' : 'audit: all goals met');
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(`audit failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
