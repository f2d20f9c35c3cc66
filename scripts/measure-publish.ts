/**
 * Measures the content build and a first and second publish of N generated articles against a
 * temporary local KV state (default N = 10,000). Prints the figures; writes nothing in the repo.
 *
 * Usage: npm run measure:publish [-- --count 10000]
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { buildContent } from './build-content';

const run = promisify(execFile);
const SHIPPED = 'content/trump-seeks-to-renew-relations-with-putins-russia.md';

/** Writes `count` distinct, valid articles (the shipped one's body, numbered) into `dir`. */
export async function generateArticles(dir: string, count: number): Promise<void> {
  const shipped = await readFile(SHIPPED, 'utf8');
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const day = new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    await writeFile(
      path.join(dir, `generated-${i}.md`),
      shipped
        .replace(/^slug: .*$/m, `slug: generated-${i}`)
        .replace(/^title: .*$/m, `title: Generated article ${i}`)
        .replace(/^datePublished: .*$/m, `datePublished: ${day}`),
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '10000' } } });
  const count = Number(values.count);
  const tmp = await mkdtemp(path.join(tmpdir(), 'kvpress-measure-'));
  try {
    const content = path.join(tmp, 'content');
    await generateArticles(content, count);
    const buildStart = performance.now();
    const build = await buildContent(content);
    const buildMs = performance.now() - buildStart;
    if (!build.ok) throw new Error(build.errors.slice(0, 5).join('\n'));
    const bytes = build.entries.reduce((sum, e) => sum + e.value.length, 0);
    const largest = Math.max(...build.entries.map((e) => e.value.length));
    console.log(
      `content build: ${count} articles in ${(buildMs / 1000).toFixed(2)} s; ${build.entries.length} KV entries, ${(bytes / 1e6).toFixed(1)} MB, largest value ${(largest / 1e3).toFixed(0)} KB`,
    );
    for (const label of ['first publish', 'second publish (nothing changed)']) {
      const started = performance.now();
      const { stdout } = await run(
        'npx',
        [
          'tsx',
          'scripts/publish.ts',
          '--content',
          content,
          '--persist-to',
          path.join(tmp, 'state'),
          '--quiet',
        ],
        { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, maxBuffer: 64 * 1024 * 1024 },
      );
      console.log(
        `${label}: ${((performance.now() - started) / 1000).toFixed(1)} s (CLI start included)${stdout}`,
      );
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
