/**
 * npm run content:check: guards the publication's own content/ as its CI should. Every file
 * validates (schema, slug rule, unique slugs) and renders; links between articles point at
 * articles that exist; and the real built reader, loaded with exactly this content, serves every
 * published article in every representation and lists it in the sitemap, with well-formed feeds.
 * The project's own tests use tests/fixtures/content and never read content/.
 *
 * Usage: npm run content:check [-- --content <dir>]
 */
import { parseArgs } from 'node:util';
import { XMLValidator } from 'fast-xml-parser';
import { bundleWorker, startLocalWorker } from '../lib/local-worker';
import { buildContent } from './build-content';

const REPRESENTATIONS = [
  { suffix: '.html', type: 'text/html' },
  { suffix: '.json', type: 'application/json' },
  { suffix: '.md', type: 'text/markdown' },
  { suffix: '.jsonld', type: 'application/ld+json' },
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { content: { type: 'string', default: 'content' } } });
  const dir = values.content ?? 'content';
  const build = await buildContent(dir);
  if (!build.ok) {
    for (const error of build.errors) console.error(error);
    throw new Error(`${build.invalidFiles} invalid file(s) in ${dir}/`);
  }
  const problems: string[] = [];
  const published = build.records.filter((r) => !r.draft);
  const slugs = new Set(published.map((r) => r.slug));
  for (const record of published) {
    for (const [, target] of record.bodyHtml.matchAll(/href="\/articles\/([^"#?.]+)/g)) {
      if (target && !slugs.has(target))
        problems.push(`${record.slug}: links to /articles/${target}, which is not published`);
    }
  }
  const bundle = await bundleWorker();
  const worker = await startLocalWorker({ bundleDir: bundle.dir, entries: build.entries });
  try {
    for (const record of published) {
      for (const { suffix, type } of REPRESENTATIONS) {
        const path = `/articles/${record.slug}${suffix}`;
        const res = await worker.fetch(path);
        const body = await res.text();
        if (res.status !== 200) problems.push(`${path}: ${res.status}`);
        else if (!(res.headers.get('Content-Type') ?? '').startsWith(type))
          problems.push(`${path}: Content-Type ${res.headers.get('Content-Type')}`);
        else if (type.includes('json')) {
          try {
            JSON.parse(body);
          } catch {
            problems.push(`${path}: not valid JSON`);
          }
        }
      }
    }
    const sitemap = await (await worker.fetch('/sitemap.xml')).text();
    const parts = [...sitemap.matchAll(/<loc>[^<]*(\/sitemaps\/\d+\.xml)<\/loc>/g)].map(
      (m) => m[1] ?? '',
    );
    const listed =
      parts.length === 0
        ? sitemap
        : (await Promise.all(parts.map(async (p) => (await worker.fetch(p)).text()))).join('');
    for (const record of published) {
      if (!listed.includes(`/articles/${record.slug}</loc>`))
        problems.push(`${record.slug}: not in the sitemap`);
    }
    for (const feed of ['/feed.xml', '/sitemap.xml']) {
      const res = await worker.fetch(feed);
      if (res.status !== 200 || XMLValidator.validate(await res.text()) !== true)
        problems.push(`${feed}: not well-formed XML`);
    }
    const jsonFeed = await worker.fetch('/feed.json');
    try {
      JSON.parse(await jsonFeed.text());
    } catch {
      problems.push('/feed.json: not valid JSON');
    }
  } finally {
    await worker.close();
    await bundle.cleanup();
  }
  if (problems.length > 0) {
    for (const problem of problems) console.error(`${dir}/: ${problem}`);
    throw new Error(`${problems.length} problem(s)`);
  }
  const drafts = build.records.length - published.length;
  console.log(
    `content:check: ${published.length} article(s) in ${dir}/ served as HTML, JSON, Markdown and JSON-LD, in the sitemap; feeds well-formed${drafts ? `; ${drafts} draft(s) valid` : ''}`,
  );
}

main().catch((error: unknown) => {
  console.error(`content:check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
