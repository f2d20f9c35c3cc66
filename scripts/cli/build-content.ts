/**
 * Content build: every content/*.md → validated records + index → a KV bulk file
 * (`build/kv-bulk.json`, the format `wrangler kv bulk put` reads).
 *
 * Usage: npm run content:build [-- --content <dir>] [--out <file>]
 * Any invalid file stops the build with `file: field: what is wrong` and exit code 1.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ArticleRecord } from '../../src/articles/schema';
import { buildArticleRecord, decodeUtf8 } from '../../src/publisher/build-record';
import { type KvEntry, siteEntries } from '../../src/publisher/plan';

export type { KvEntry };

/** One content file as read: its path (as shown in messages) and its text. */
export interface ContentSource {
  path: string;
  source: string;
}

export type ContentBuild =
  | { ok: true; records: ArticleRecord[]; sources: ContentSource[]; entries: KvEntry[] }
  | { ok: false; errors: string[]; invalidFiles: number };

/** Reads, validates and renders every `*.md` in `contentDir`. Pure apart from reading files. */
export async function buildContent(contentDir: string): Promise<ContentBuild> {
  const files = (await readdir(contentDir)).filter((name) => name.endsWith('.md')).sort();
  const errors: string[] = [];
  const records: ArticleRecord[] = [];
  const sources: ContentSource[] = [];
  const invalid = new Set<string>();
  const fileBySlug = new Map<string, string>();

  for (const file of files) {
    const shown = path.join(path.basename(contentDir), file);
    const decoded = decodeUtf8(await readFile(path.join(contentDir, file)));
    if ('error' in decoded) {
      errors.push(`${shown}: ${decoded.error.field}: ${decoded.error.message}`);
      continue;
    }
    const result = await buildArticleRecord(decoded.text);
    if (!result.ok) {
      for (const { field, message } of result.errors) errors.push(`${shown}: ${field}: ${message}`);
      continue;
    }
    const { slug } = result.record;
    const earlier = fileBySlug.get(slug);
    if (earlier !== undefined) {
      errors.push(`${shown}: slug: "${slug}" is already used by ${earlier}`);
      continue;
    }
    fileBySlug.set(slug, shown);
    records.push(result.record);
    sources.push({ path: shown, source: decoded.text });
  }
  for (const error of errors) invalid.add(error.slice(0, error.indexOf(': ')));
  if (errors.length > 0) return { ok: false, errors, invalidFiles: invalid.size };

  return { ok: true, records, sources, entries: await siteEntries(records) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      content: { type: 'string', default: 'content' },
      out: { type: 'string', default: 'build/kv-bulk.json' },
    },
  });
  const started = performance.now();
  const build = await buildContent(values.content);
  if (!build.ok) {
    for (const error of build.errors) console.error(error);
    // Remove the previous output: nothing may load content that no longer builds.
    await rm(values.out, { force: true });
    console.error(`content build failed: ${build.errors.length} error(s), nothing written`);
    process.exitCode = 1;
    return;
  }
  await mkdir(path.dirname(values.out), { recursive: true });
  await writeFile(values.out, JSON.stringify(build.entries));
  const ms = (performance.now() - started).toFixed(0);
  console.log(`content build: ${build.records.length} article(s) → ${values.out} in ${ms} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main().catch((error: unknown) => {
    // I/O failures (no content folder, unwritable output): one line, no stack.
    console.error(
      `content build failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  });
}
