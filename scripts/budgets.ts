/**
 * Budgets, checked on the real build (not by timed unit tests):
 *   - worker bundle ≤ 50 KiB gzip, publishing API included (wrangler's dry-run figure);
 *   - article page ≤ 14 KB gzip (one round trip);
 *   - render of any representation ≤ 0.2 ms median (informational: machines differ).
 * Exit code 1 when an enforced budget is exceeded.
 *
 * Usage: npm run budgets
 */
import { gzipSync } from 'node:zlib';
import { buildContent } from './build-content';
import { bundleWorker, startLocalWorker } from './lib/local-worker';
import { renderMicroBench } from './lib/render-bench';

const BUNDLE_GZIP_KIB = 50;
const PAGE_GZIP_BYTES = 14 * 1024;
const RENDER_MICROSECONDS = 200;
const ARTICLE = '/articles/trump-seeks-to-renew-relations-with-putins-russia';

async function main(): Promise<void> {
  const bundle = await bundleWorker();
  const build = await buildContent('content');
  if (!build.ok) throw new Error(build.errors.join('\n'));
  const worker = await startLocalWorker({ bundleDir: bundle.dir, entries: build.entries });
  const failures: string[] = [];
  try {
    const { gzip, raw } = bundle.uploadKiB;
    const bundleOk = gzip <= BUNDLE_GZIP_KIB;
    console.log(
      `${bundleOk ? 'ok  ' : 'OVER'} worker bundle: ${gzip} KiB gzip (${raw} KiB raw), budget ${BUNDLE_GZIP_KIB} KiB`,
    );
    if (!bundleOk) failures.push('worker bundle');

    const page = await (await worker.fetch(ARTICLE)).text();
    const pageGzip = gzipSync(page).byteLength;
    const pageOk = pageGzip <= PAGE_GZIP_BYTES;
    console.log(
      `${pageOk ? 'ok  ' : 'OVER'} article page: ${pageGzip} B gzip (${page.length} B), budget ${PAGE_GZIP_BYTES} B`,
    );
    if (!pageOk) failures.push('article page');

    const renders = await renderMicroBench(build.records[0]);
    for (const [name, us] of Object.entries(renders)) {
      const ok = us <= RENDER_MICROSECONDS;
      console.log(
        `${ok ? 'ok  ' : 'slow'} render ${name}: ${us.toFixed(1)} µs median, goal ${RENDER_MICROSECONDS} µs (informational)`,
      );
    }
  } finally {
    await worker.close();
    await bundle.cleanup();
  }
  if (failures.length > 0) {
    console.error(`budgets exceeded: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`budgets failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
