/**
 * Hostile content at build time: markup and script URLs are escaped or dropped, oversized and
 * badly encoded files are refused with a message naming the file and the problem.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildContent } from '../../scripts/cli/build-content';
import { ArticlePage } from '../../src/views/article-page';

const SHIPPED = 'tests/fixtures/content/trump-seeks-to-renew-relations-with-putins-russia.md';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kvpress-hostile-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function shipped(): Promise<string> {
  return readFile(SHIPPED, 'utf8');
}

describe('hostile content', () => {
  it('escapes markup in front matter and body, and drops javascript: links', async () => {
    const source = (await shipped())
      .replace(/^title: .*$/m, 'title: "<script>alert(1)</script> Headline"')
      .replace(/^description: .*$/m, 'description: "\\"><img src=x onerror=alert(1)>"')
      .replace(
        'Beyond diplomatic relations',
        '<script>alert(2)</script> [click](javascript:alert(3)) [data](data:text/html,x) <b onclick="x()">bold</b> Beyond diplomatic relations',
      );
    await writeFile(path.join(dir, 'a.md'), source);
    const build = await buildContent(dir);
    if (!build.ok) throw new Error(build.errors.join('\n'));
    const [record] = build.records;
    if (!record) throw new Error('no record');
    const page = ArticlePage({
      article: record,
      siteName: 'kvpress',
      siteLang: 'en',
      url: 'https://x.example/a',
    }).toString();
    expect(page).not.toMatch(/<script>alert/);
    expect(page).not.toMatch(/<img src=x/);
    expect(page).not.toMatch(/href="(javascript|data):/i);
    expect(page).not.toMatch(/<b onclick/);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Headline');
    expect(page).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it.each([
    [
      'thousands of nested brackets in front matter',
      (src: string) => src.replace('sources:', `authors: ${'['.repeat(2000)}\nsources:`),
      /front matter: invalid YAML at line \d+, column \d+: /,
    ],
    [
      'a quote nested 5,000 deep',
      (src: string) => `${src}\n${'>'.repeat(5000)} x`,
      /body: nests 5000 levels deep; at most 16/,
    ],
    [
      'front matter nested 1,000 mappings deep',
      (src: string) =>
        src.replace(
          /^---\n/,
          `---\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} x\n`,
        ),
      /evil.md: front matter: invalid YAML at line \d+, column \d+: nesting exceeded maxDepth/,
    ],
    [
      'a list nested 900 deep',
      (src: string) =>
        `${src}\n${Array.from({ length: 900 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')}`,
      /body: nests \d+ levels deep/,
    ],
  ])('refuses %s with a field error instead of throwing', async (_, mutate, message) => {
    await writeFile(path.join(dir, 'evil.md'), mutate(await shipped()));
    const build = await buildContent(dir);
    expect(build.ok).toBe(false);
    if (!build.ok) expect(build.errors[0]).toMatch(message);
  });

  it('refuses a document over 1 MiB, naming the file', async () => {
    await writeFile(path.join(dir, 'huge.md'), `${await shipped()}\n${'word '.repeat(220_000)}`);
    const build = await buildContent(dir);
    expect(build.ok).toBe(false);
    if (!build.ok)
      expect(build.errors).toEqual([
        expect.stringMatching(
          /^[\w-]+\/huge\.md: document: is \d+ bytes; at most 1048576 are accepted$/,
        ),
      ]);
  });

  it('refuses invalid UTF-8 instead of replacing it, naming the file and the byte', async () => {
    const bytes = Buffer.concat([Buffer.from(await shipped()), Buffer.from([0xff, 0xfe, 0x41])]);
    await writeFile(path.join(dir, 'latin.md'), bytes);
    const build = await buildContent(dir);
    expect(build.ok).toBe(false);
    if (!build.ok)
      expect(build.errors[0]).toMatch(
        /latin\.md: encoding: is not valid UTF-8 \(after byte \d+\)$/,
      );
  });
});
