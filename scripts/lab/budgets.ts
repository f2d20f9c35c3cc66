/**
 * Budgets, checked on the real build (not by timed unit tests). Part of `npm run check` and CI.
 *   - reader bundle ≤ 38 KiB gzip (wrangler's dry-run figure, which it prints in KiB), with what
 *     each dependency weighs; the publisher's size is reported (it has no byte budget);
 *   - the reader's bundle contains none of the publisher's modules, marked or a YAML parser;
 *   - article page ≤ 14 KB gzip (one round trip);
 *   - the newsroom app (src/admin/, scripts/cli/build-admin.ts) ≤ 250 KiB gzip, JavaScript and CSS;
 *   - render of any representation ≤ 0.2 ms median (informational: machines differ).
 * Exit code 1 when an enforced budget is exceeded.
 *
 * Usage: npm run budgets
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { buildAdmin } from '../cli/build-admin';
import { buildContent } from '../cli/build-content';
import { bundleWorker, startLocalWorker } from '../lib/local-worker';
import { composition, readMetafile } from './lib/bundle-report';
import { renderMicroBench } from './lib/render-bench';

// 30 KiB until the section, tag and author lists with their feeds, the favicon and the fuller article
// page (figure, byline links, correction, tags) came in: 29.2 → 32.8 KiB; then the ActivityStreams
// representation, the actor, WebFinger, NodeInfo and the outbox (no ActivityPub library): 35.6.
// Authoring code stays out (the front matter schema is src/articles/front-matter.ts for that).
const BUNDLE_GZIP_KIB = 38;
const PAGE_GZIP_BYTES = 14 * 1024;
const RENDER_MICROSECONDS = 200;
const ADMIN_GZIP_KIB = 250;
const ARTICLE = '/articles/trump-seeks-to-renew-relations-with-putins-russia';
// Loaded on the first publishing request only: none may run when an isolate starts.
const PUBLISHING_ONLY = [/src\/publisher\//, /node_modules\/marked\//, /node_modules\/@fedify\//];

async function main(): Promise<void> {
  const bundle = await bundleWorker();
  const build = await buildContent('tests/fixtures/content');
  if (!build.ok) throw new Error(build.errors.join('\n'));
  const worker = await startLocalWorker({ bundleDir: bundle.dir, entries: build.entries });
  const failures: string[] = [];
  try {
    const { gzip, raw } = bundle.uploadKiB;
    const bundleOk = gzip <= BUNDLE_GZIP_KIB;
    console.log(
      `${bundleOk ? 'ok  ' : 'OVER'} reader bundle: ${gzip} KiB gzip (${raw} KiB raw), budget ${BUNDLE_GZIP_KIB} KiB`,
    );
    const publisher = await bundleWorker('wrangler.publisher.toml');
    console.log(
      `     publisher bundle: ${publisher.uploadKiB.gzip} KiB gzip (${publisher.uploadKiB.raw} KiB raw), no budget`,
    );
    await publisher.cleanup();
    if (!bundleOk) failures.push('reader bundle');
    // The newsroom's app: what a writer's browser downloads on the first visit.
    let adminGzip = 0;
    for (const { file } of await buildAdmin()) adminGzip += gzipSync(await readFile(file)).length;
    const adminKiB = Number((adminGzip / 1024).toFixed(1));
    const adminOk = adminKiB <= ADMIN_GZIP_KIB;
    console.log(
      `${adminOk ? 'ok  ' : 'OVER'} newsroom app: ${adminKiB} KiB gzip, budget ${ADMIN_GZIP_KIB} KiB`,
    );
    if (!adminOk) failures.push('newsroom app');
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
    const publishing = Object.keys(meta.inputs).filter((input) =>
      PUBLISHING_ONLY.some((pattern) => pattern.test(input)),
    );
    console.log(
      `${publishing.length === 0 ? 'ok  ' : 'OVER'} reader contents: ${publishing.length === 0 ? 'no publisher code, no Markdown renderer, no YAML parser, no ActivityPub library' : `contains ${publishing.join(', ')}`}`,
    );
    if (publishing.length > 0) failures.push('publishing code in the reader');

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
