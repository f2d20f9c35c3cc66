/**
 * Budgets, checked on the real build (not by timed unit tests). Part of `npm run check` and CI.
 *   - worker bundle ≤ 50 KiB gzip, publishing API included (wrangler's dry-run figure, which it
 *     prints in KiB), with what each dependency weighs;
 *   - the reader's start-up evaluates no publishing code (it sits behind a dynamic import);
 *   - article page ≤ 14 KB gzip (one round trip);
 *   - render of any representation ≤ 0.2 ms median (informational: machines differ).
 * Exit code 1 when an enforced budget is exceeded.
 *
 * Usage: npm run budgets
 */
import { gzipSync } from 'node:zlib';
import { buildContent } from './build-content';
import { composition, evaluatedAtStartup, readMetafile } from './lib/bundle-report';
import { bundleWorker, startLocalWorker } from './lib/local-worker';
import { renderMicroBench } from './lib/render-bench';

const BUNDLE_GZIP_KIB = 50;
const PAGE_GZIP_BYTES = 14 * 1024;
const RENDER_MICROSECONDS = 200;
const ARTICLE = '/articles/trump-seeks-to-renew-relations-with-putins-russia';
// Loaded on the first publishing request only: none may run when an isolate starts.
const PUBLISHING_ONLY = [/src\/publisher\//, /node_modules\/marked\//];

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
    const meta = await readMetafile(bundle.dir);
    const parts = composition(meta);
    const total = parts.reduce((sum, part) => sum + part.bytes, 0);
    console.log('     minified bytes by dependency (gzip shrinks each differently):');
    for (const { owner, bytes } of parts.filter((part) => part.bytes >= 512)) {
      const share = ((100 * bytes) / total).toFixed(0).padStart(3);
      console.log(
        `       ${owner.padEnd(22)} ${(bytes / 1024).toFixed(1).padStart(5)} KiB ${share} %`,
      );
    }
    const atStartup = [...evaluatedAtStartup(meta)].filter((input) =>
      PUBLISHING_ONLY.some((pattern) => pattern.test(input)),
    );
    console.log(
      `${atStartup.length === 0 ? 'ok  ' : 'OVER'} start-up: ${atStartup.length === 0 ? 'no publishing code evaluated' : `evaluates ${atStartup.join(', ')}`}`,
    );
    if (atStartup.length > 0) failures.push('publishing code at start-up');

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
