/**
 * The Nu HTML Checker (vnu.jar, Java 17) on pages served by the real built worker: the home
 * page, both fixture articles, a section, a tag and an author page, and a 404 page must have no
 * errors and no warnings.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContent } from '../../scripts/cli/build-content';
import { bundleWorker, type LocalWorker, startLocalWorker } from '../../scripts/lib/local-worker';

const run = promisify(execFile);
const vnuJar: string = createRequire(import.meta.url)('vnu-jar');

const PAGES = {
  home: '/',
  article: '/articles/trump-seeks-to-renew-relations-with-putins-russia',
  'article-picture': '/articles/how-a-kvpress-article-shows-a-picture',
  section: '/sections/world',
  tag: '/tags/russia',
  author: '/authors/kvpress-developers',
  'not-found': '/articles/no-such-article',
} as const;

interface VnuMessage {
  type: 'error' | 'info' | 'non-document-error';
  subType?: 'warning' | 'fatal';
  message: string;
  url: string;
  lastLine?: number;
}

let worker: LocalWorker;
let cleanup: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  const bundle = await bundleWorker();
  const build = await buildContent('tests/fixtures/content');
  if (!build.ok) throw new Error(build.errors.join('\n'));
  worker = await startLocalWorker({ bundleDir: bundle.dir, entries: build.entries });
  dir = await mkdtemp(path.join(tmpdir(), 'kvpress-vnu-'));
  cleanup = async () => {
    await worker.close();
    await bundle.cleanup();
    await rm(dir, { recursive: true, force: true });
  };
}, 120_000);

afterAll(async () => cleanup?.());

describe('Nu HTML Checker', () => {
  it('finds no errors and no warnings on the home, article, list and 404 pages', async () => {
    const files: string[] = [];
    for (const [name, pagePath] of Object.entries(PAGES)) {
      const res = await worker.fetch(pagePath, { headers: { Accept: 'text/html' } });
      expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
      const file = path.join(dir, `${name}.html`);
      await writeFile(file, await res.text());
      files.push(file);
    }
    let report: string;
    try {
      // vnu exits 1 when it reports anything; its JSON report goes to stderr either way.
      const { stderr } = await run('java', [
        '-jar',
        vnuJar,
        '--format',
        'json',
        '--also-check-css',
        ...files,
      ]);
      report = stderr;
    } catch (error) {
      const failure = error as { code?: string; stderr?: string };
      if (failure.code === 'ENOENT')
        throw new Error('Java 17 is needed for the Nu HTML Checker (vnu.jar)');
      report = failure.stderr ?? '';
    }
    const messages = (JSON.parse(report) as { messages: VnuMessage[] }).messages;
    const problems = messages
      .filter((m) => m.type !== 'info' || m.subType === 'warning')
      .map(
        (m) =>
          `${path.basename(m.url)}:${m.lastLine ?? '?'} ${m.type}${m.subType ? `/${m.subType}` : ''}: ${m.message}`,
      );
    expect(problems).toEqual([]);
  }, 120_000);
});
