/**
 * The render version and the stylesheet's CSP hash are computed at build time, from the sources
 * as they are: a copy of the project with one CSS rule added, built as a deploy builds it,
 * serves a CSP that allows its new <style> exactly, and every ETag moves.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContent, type KvEntry } from '../../scripts/cli/build-content';
import { VERSION_FILE } from '../../scripts/cli/render-version';
import { startLocalWorker } from '../../scripts/lib/local-worker';

const run = promisify(execFile);
const SLUG = 'trump-seeks-to-renew-relations-with-putins-russia';
const PATHS = ['/', `/articles/${SLUG}`, `/articles/${SLUG}.json`, '/feed.xml', '/robots.txt'];

interface Served {
  cspStyleSource: string | undefined;
  styleSource: string;
  etags: Record<string, string | null>;
}

/** Builds the copy in `dir` exactly as `npm run deploy` would, serves it, and reads what it sends. */
async function buildAndServe(dir: string, entries: readonly KvEntry[]): Promise<Served> {
  const out = path.join(dir, 'build', 'reader');
  await run('npx', ['wrangler', 'deploy', '--dry-run', '-c', 'wrangler.toml', '--outdir', out], {
    cwd: dir,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const worker = await startLocalWorker({ bundleDir: out, entries });
  try {
    const etags: Record<string, string | null> = {};
    for (const p of PATHS) {
      const res = await worker.fetch(p);
      expect(res.status, p).toBe(200);
      etags[p] = res.headers.get('ETag');
      await res.arrayBuffer();
    }
    const page = await worker.fetch(`/articles/${SLUG}`);
    const html = await page.text();
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const csp = page.headers.get('Content-Security-Policy') ?? '';
    return {
      cspStyleSource: /style-src ('sha256-[^']+')/.exec(csp)?.[1],
      styleSource: `'sha256-${createHash('sha256').update(style).digest('base64')}'`,
      etags,
    };
  } finally {
    await worker.close();
  }
}

describe('render version and style hash, at build time', () => {
  let copy: string;
  let entries: readonly KvEntry[];

  beforeAll(async () => {
    copy = await mkdtemp(path.join(tmpdir(), 'kvpress-render-'));
    for (const name of [
      'src',
      'scripts',
      'wrangler.toml',
      'tsconfig.json',
      'package.json',
      'package-lock.json',
    ]) {
      // The generated file is not copied: the build must make it, as on a fresh clone.
      await cp(name, path.join(copy, name), {
        recursive: true,
        filter: (source) => path.relative('.', source) !== VERSION_FILE,
      });
    }
    await symlink(path.resolve('node_modules'), path.join(copy, 'node_modules'), 'dir');
    const build = await buildContent('tests/fixtures/content');
    if (!build.ok) throw new Error(build.errors.join('\n'));
    entries = build.entries;
  });

  afterAll(() => rm(copy, { recursive: true, force: true }));

  it('follows a stylesheet edit: the CSP allows the served <style>, and every ETag changes', async () => {
    const before = await buildAndServe(copy, entries);
    expect(before.cspStyleSource).toBe(before.styleSource);

    const styles = path.join(copy, 'src/views/styles.ts');
    const source = await readFile(styles, 'utf8');
    expect(source).toContain('export const STYLES = `\n');
    await writeFile(
      styles,
      source.replace('export const STYLES = `\n', 'export const STYLES = `\nhr{border:0}\n'),
    );
    const after = await buildAndServe(copy, entries);

    expect(after.cspStyleSource).toBe(after.styleSource);
    expect(after.styleSource).not.toBe(before.styleSource);
    for (const p of PATHS) {
      expect(after.etags[p], p).toBeTruthy();
      expect(after.etags[p], p).not.toBe(before.etags[p]);
    }
  }, 240_000);
});
