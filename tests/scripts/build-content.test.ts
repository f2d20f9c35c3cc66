/**
 * Node-side tests of the content build (scripts/cli/build-content.ts) against real temporary folders:
 * validation errors, rendering safety, hashing, KV entry order and the CLI's exit code and output.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContentBuild, KvEntry } from '../../scripts/cli/build-content';
import { buildContent } from '../../scripts/cli/build-content';
import type { ArticleIndex, ArticleRecord } from '../../src/articles/schema';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CLI_TIMEOUT_MS = 60_000;

let tmp: string;
/** `<tmp>/content`: its basename, `content`, is how errors name files. */
let contentDir: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'kvpress-build-content-'));
  contentDir = path.join(tmp, 'content');
  await mkdir(contentDir);
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

interface FrontMatterOptions {
  title?: string;
  slug?: string;
  datePublished?: string;
  /** Extra YAML lines appended to the front matter as written. */
  extra?: string;
}

/** YAML front matter lines for a valid article, overridable field by field. */
function frontMatter({
  title = 'A Valid Article',
  slug = 'a-valid-article',
  datePublished = '2020-05-17',
  extra = '',
}: FrontMatterOptions = {}): string {
  return [
    `title: ${title}`,
    `slug: ${slug}`,
    'description: A short description of the article.',
    `datePublished: ${datePublished}`,
    extra,
  ]
    .filter((line) => line !== '')
    .join('\n');
}

const BODY = 'First paragraph of the article.\n\nSecond paragraph, with *emphasis*.';

/** A whole content document: `---`, the YAML, `---`, the Markdown body. */
function documentText(yaml: string, body: string = BODY): string {
  return `---\n${yaml}\n---\n\n${body}\n`;
}

async function writeContent(file: string, text: string): Promise<void> {
  await writeFile(path.join(contentDir, file), text, 'utf8');
}

async function writeArticle(file: string, options: FrontMatterOptions = {}, body = BODY) {
  await writeContent(file, documentText(frontMatter(options), body));
}

function expectOk(build: ContentBuild): { records: ArticleRecord[]; entries: KvEntry[] } {
  if (!build.ok) throw new Error(`expected the build to succeed, got:\n${build.errors.join('\n')}`);
  return build;
}

function expectErrors(build: ContentBuild): string[] {
  if (build.ok) throw new Error('expected the build to fail, but it succeeded');
  expect(build.errors.length).toBeGreaterThan(0);
  return build.errors;
}

/** Builds a single-record folder and returns that record. */
async function buildOne(): Promise<ArticleRecord> {
  const { records } = expectOk(await buildContent(contentDir));
  expect(records).toHaveLength(1);
  const [record] = records;
  if (record === undefined) throw new Error('no record');
  return record;
}

/**
 * Builds the folder, expects exactly one error, for `file` and `field`, and returns its message
 * (what follows the exact `content/<file>: <field>: ` prefix).
 */
async function singleErrorMessage(file: string, field: string): Promise<string> {
  const errors = expectErrors(await buildContent(contentDir));
  expect(errors, `errors:\n${errors.join('\n')}`).toHaveLength(1);
  const [error = ''] = errors;
  const prefix = `content/${file}: ${field}: `;
  expect(error.startsWith(prefix), `"${error}" should start with "${prefix}"`).toBe(true);
  const message = error.slice(prefix.length);
  expect(message.trim().length).toBeGreaterThan(0);
  return message;
}

/** Entry keys with their content hashes shown as `<hash>`: `v1:article:<slug>:<hash>`. */
function keysOf(entries: readonly KvEntry[]): string[] {
  return entries.map((entry) => entry.key.replace(/:[0-9a-f]{32}$/, ':<hash>'));
}

/** The index entry, checking the publish order: …records, index, then the version last. */
function parseIndex(entries: readonly KvEntry[]): ArticleIndex {
  expect(keysOf(entries).slice(-2)).toEqual(['v1:index:<hash>', 'v1:version']);
  const head = JSON.parse(entries.at(-2)?.value ?? 'null') as { hash: string; pages: string[] };
  expect(JSON.parse(entries.at(-1)?.value ?? 'null')).toEqual({ version: head.hash, seq: 1 });
  const articles = head.pages.flatMap((page) => {
    const entry = entries.find((e) => e.key === `v1:index-page:${page}`);
    expect(entry, `index page ${page} is written before the head`).toBeDefined();
    return (JSON.parse(entry?.value ?? '{}') as { articles: ArticleIndex['articles'] }).articles;
  });
  return { hash: head.hash, articles };
}

describe('buildContent: valid content', () => {
  it('builds a valid file into a record and an index entry', async () => {
    await writeArticle('valid.md', {
      extra: 'sources:\n  - BBC\n  - The New York Times\nimage:\n  credit: Someone/Flickr',
    });

    const { records, entries } = expectOk(await buildContent(contentDir));

    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toMatchObject({
      slug: 'a-valid-article',
      title: 'A Valid Article',
      description: 'A short description of the article.',
      authors: [],
      datePublished: '2020-05-17',
      dateModified: null,
      sources: ['BBC', 'The New York Times'],
      image: { credit: 'Someone/Flickr' },
    });
    expect(record?.wordCount).toBeGreaterThan(0);
    expect(record?.bodyHtml).toContain('<p>');
    expect(record?.bodyHtml).toContain('<em>emphasis</em>');
    expect(record?.hash).toMatch(/^[0-9a-f]{32}$/);

    expect(keysOf(entries)).toEqual([
      'v1:article:a-valid-article:<hash>',
      'v1:index-page:<hash>',
      'v1:index:<hash>',
      'v1:version',
    ]);
    expect(entries[0]?.key).toBe(`v1:article:a-valid-article:${record?.hash}`);
    expect(JSON.parse(entries[0]?.value ?? 'null')).toEqual(record);
    expect(parseIndex(entries)).toEqual({
      hash: expect.stringMatching(/^[0-9a-f]{32}$/),
      articles: [
        {
          slug: 'a-valid-article',
          title: 'A Valid Article',
          description: 'A short description of the article.',
          datePublished: '2020-05-17',
          dateModified: null,
          hash: record?.hash,
        },
      ],
    });
  });

  it('defaults optional fields: no authors, no sources, no image, no dateModified', async () => {
    await writeArticle('minimal.md');
    const record = await buildOne();
    expect(record.authors).toEqual([]);
    expect(record.sources).toEqual([]);
    expect(record.image).toBeNull();
    expect(record.dateModified).toBeNull();
  });

  it('keeps authors and dateModified when given', async () => {
    await writeArticle('full.md', {
      extra: 'dateModified: 2020-05-18T09:30:00Z\nauthors:\n  - Jane Doe\n  - John Roe',
    });
    const record = await buildOne();
    expect(record.authors).toEqual(['Jane Doe', 'John Roe']);
    expect(record.dateModified).toBe('2020-05-18T09:30:00Z');
  });

  it('writes every article entry before the index, and lists the newest article first', async () => {
    // File order (a-, b-) is the opposite of date order, so a sort by date is visible.
    await writeArticle('a-older.md', {
      slug: 'older',
      title: 'Older',
      datePublished: '2015-01-01',
    });
    await writeArticle('b-newer.md', {
      slug: 'newer',
      title: 'Newer',
      datePublished: '2021-06-30',
    });

    const { entries } = expectOk(await buildContent(contentDir));

    expect(keysOf(entries)).toEqual([
      'v1:article:older:<hash>',
      'v1:article:newer:<hash>',
      'v1:index-page:<hash>',
      'v1:index:<hash>',
      'v1:version',
    ]);
    expect(parseIndex(entries).articles.map((article) => article.slug)).toEqual(['newer', 'older']);
  });

  it('orders articles published on the same date by slug, whatever the file order', async () => {
    await writeArticle('1.md', { slug: 'zulu', title: 'Zulu', datePublished: '2020-01-01' });
    await writeArticle('2.md', { slug: 'alpha', title: 'Alpha', datePublished: '2020-01-01' });
    await writeArticle('3.md', { slug: 'mike', title: 'Mike', datePublished: '2019-01-01' });

    const { entries } = expectOk(await buildContent(contentDir));

    expect(parseIndex(entries).articles.map((article) => article.slug)).toEqual([
      'alpha',
      'zulu',
      'mike',
    ]);
    expect(entries.at(-1)?.key).toBe('v1:version');
  });

  it('ignores files that are not Markdown', async () => {
    await writeArticle('valid.md');
    await writeContent('README.txt', 'not an article');
    await writeContent('draft.md.bak', 'not an article either');
    const { records } = expectOk(await buildContent(contentDir));
    expect(records.map((record) => record.slug)).toEqual(['a-valid-article']);
  });

  it('builds an empty folder into just an empty index', async () => {
    const { records, entries } = expectOk(await buildContent(contentDir));
    expect(records).toEqual([]);
    expect(keysOf(entries)).toEqual(['v1:index:<hash>', 'v1:version']);
    expect(parseIndex(entries).articles).toEqual([]);
  });
});

describe('buildContent: content hash', () => {
  it('gives the same hash for the same input', async () => {
    await writeArticle('valid.md');
    const first = await buildOne();
    const second = await buildOne();
    expect(second.hash).toBe(first.hash);
  });

  it('changes the hash when the body changes', async () => {
    await writeArticle('valid.md');
    const before = await buildOne();
    await writeArticle('valid.md', {}, `${BODY}\n\nA third paragraph.`);
    const after = await buildOne();
    expect(after.hash).toMatch(/^[0-9a-f]{32}$/);
    expect(after.hash).not.toBe(before.hash);
  });

  it('changes the hash when the title changes', async () => {
    await writeArticle('valid.md');
    const before = await buildOne();
    await writeArticle('valid.md', { title: 'A Retitled Article' });
    const after = await buildOne();
    expect(after.hash).not.toBe(before.hash);
  });
});

describe('buildContent: Markdown rendering is safe', () => {
  it('escapes raw HTML in the Markdown instead of passing it through', async () => {
    await writeArticle(
      'xss.md',
      {},
      'Before.\n\n<script>alert(1)</script>\n\nInline <b>bold</b> tag.',
    );
    const { bodyHtml } = await buildOne();
    expect(bodyHtml).toContain('&lt;script&gt;');
    expect(bodyHtml).not.toMatch(/<script/i);
    expect(bodyHtml).not.toMatch(/<b>/);
  });

  it('renders a javascript: link without its URL', async () => {
    await writeArticle(
      'links.md',
      {},
      'A [x](javascript:alert(1)) link, a [y](JaVaScRiPt:alert(2)) one and a [safe](https://example.com/) one.',
    );
    const { bodyHtml } = await buildOne();
    expect(bodyHtml).not.toMatch(/javascript:/i);
    expect(bodyHtml).toContain('<a href="https://example.com/">safe</a>');
    expect(bodyHtml).toContain('x');
  });
});

describe('buildContent: invalid files', () => {
  it('rejects a file without front matter', async () => {
    await writeContent('no-front-matter.md', '# Just a heading\n\nAnd a body.\n');
    const message = await singleErrorMessage('no-front-matter.md', 'front matter');
    expect(message).toMatch(/missing/i);
  });

  it('rejects front matter that is not valid YAML', async () => {
    await writeContent('bad-yaml.md', documentText(`title: [unclosed\n${frontMatter()}`));
    const message = await singleErrorMessage('bad-yaml.md', 'front matter');
    expect(message).toMatch(/invalid YAML/i);
  });

  it('names the line of the file where the YAML goes wrong', async () => {
    // Line 1 is `---`, line 2 the title, line 3 the badly indented key.
    await writeContent('indent.md', documentText(`title: A\n  slug: b\n${frontMatter()}`));
    const message = await singleErrorMessage('indent.md', 'front matter');
    expect(message).toMatch(/^invalid YAML at line 3, column \d+: /);
  });

  it('rejects a dateModified earlier than datePublished', async () => {
    await writeArticle('modified-early.md', { extra: 'dateModified: 2020-05-16' });
    const message = await singleErrorMessage('modified-early.md', 'dateModified');
    expect(message).toMatch(/earlier than datePublished/);
  });

  it('says a date-time needs its time zone', async () => {
    await writeArticle('no-zone.md', { datePublished: '2016-11-14T10:00:00' });
    const message = await singleErrorMessage('no-zone.md', 'datePublished');
    expect(message).toMatch(/zone/);
  });

  it('rejects front matter that is a YAML scalar rather than a mapping', async () => {
    await writeContent('scalar.md', documentText('just some words'));
    const message = await singleErrorMessage('scalar.md', 'front matter');
    expect(message).toMatch(/mapping/i);
  });

  it('rejects front matter that is a YAML list rather than a mapping, as one front matter error', async () => {
    await writeContent('list.md', documentText('- title\n- slug'));
    const message = await singleErrorMessage('list.md', 'front matter');
    expect(message).toMatch(/mapping/i);
  });

  it('rejects a missing title, saying the title is missing', async () => {
    await writeContent('no-title.md', documentText(frontMatter().replace(/^title: .*\n/, '')));
    const message = await singleErrorMessage('no-title.md', 'title');
    // The message must be about the missing title, not about the front matter's shape.
    expect(message).toMatch(/missing|required/i);
    expect(message).not.toMatch(/YAML mapping/i);
  });

  it('rejects an empty title', async () => {
    await writeArticle('empty-title.md', { title: '""' });
    const message = await singleErrorMessage('empty-title.md', 'title');
    expect(message).toMatch(/empty/i);
  });

  it('rejects a title of only spaces', async () => {
    await writeArticle('blank-title.md', { title: '"   "' });
    const message = await singleErrorMessage('blank-title.md', 'title');
    expect(message).toMatch(/empty/i);
  });

  it('rejects a slug that is not lowercase words joined by hyphens', async () => {
    for (const [file, slug] of [
      ['upper.md', 'Bad-Slug'],
      ['underscore.md', 'bad_slug'],
      ['double-hyphen.md', 'bad--slug'],
      ['trailing-hyphen.md', 'bad-slug-'],
    ] as const) {
      await writeArticle(file, { slug });
      const message = await singleErrorMessage(file, 'slug');
      expect(message).toMatch(/lowercase/i);
      await rm(path.join(contentDir, file));
    }
  });

  it('rejects a datePublished that is not a real calendar date', async () => {
    await writeArticle('feb-30.md', { datePublished: '2016-02-30' });
    const message = await singleErrorMessage('feb-30.md', 'datePublished');
    expect(message).toMatch(/date/i);
  });

  it('rejects a datePublished that is not written as a date', async () => {
    await writeArticle('yesterday.md', { datePublished: 'yesterday' });
    const message = await singleErrorMessage('yesterday.md', 'datePublished');
    expect(message).toMatch(/YYYY-MM-DD/);
  });

  it('rejects an unknown field, naming it', async () => {
    await writeArticle('typo.md', { extra: 'tittle: A Typo' });
    const message = await singleErrorMessage('typo.md', 'tittle');
    expect(message).toMatch(/unknown field/i);
    expect(message).toMatch(/allowed: .*title/);
  });

  it('reports both the unknown field and the missing one when a field name is misspelt', async () => {
    await writeContent('misspelt.md', documentText(frontMatter().replace(/^title: /, 'tittle: ')));
    const errors = expectErrors(await buildContent(contentDir));
    expect(errors.some((error) => error.startsWith('content/misspelt.md: title: '))).toBe(true);
    expect(errors.some((error) => error.startsWith('content/misspelt.md: tittle: '))).toBe(true);
  });

  it('names every unknown field, not only the first', async () => {
    await writeArticle('two-unknown.md', { extra: 'tittle: x\nauthor: y' });
    const errors = expectErrors(await buildContent(contentDir));
    expect(
      errors.filter((e) => /^content\/two-unknown\.md: (tittle|author): unknown field/.test(e)),
    ).toHaveLength(2);
  });

  it('shows the value it refuses: a date that does not exist', async () => {
    await writeContent(
      'bad-day.md',
      documentText(frontMatter().replace(/^datePublished: .*$/m, 'datePublished: 2026-11-31')),
    );
    const message = await singleErrorMessage('bad-day.md', 'datePublished');
    expect(message).toMatch(/^"2026-11-31" is not a real date/);
  });

  it('rejects sources that are not a list', async () => {
    await writeArticle('sources-text.md', { extra: 'sources: BBC' });
    const message = await singleErrorMessage('sources-text.md', 'sources');
    expect(message).toMatch(/list/i);
  });

  it('rejects a source that is not text, naming its position', async () => {
    await writeArticle('sources-number.md', { extra: 'sources:\n  - BBC\n  - 42' });
    const message = await singleErrorMessage('sources-number.md', 'sources.1');
    expect(message).toMatch(/text/i);
  });

  it('rejects an image with neither a picture nor a credit', async () => {
    await writeArticle('image.md', { extra: 'image: {}' });
    const message = await singleErrorMessage('image.md', 'image');
    expect(message).toBe('must have a src (with alt, width and height) or a credit');
  });

  it('rejects an empty body', async () => {
    await writeContent('empty-body.md', documentText(frontMatter(), '   \n\n\t\n'));
    const message = await singleErrorMessage('empty-body.md', 'body');
    expect(message).toMatch(/empty/i);
  });

  it('rejects a second file using a slug already taken, naming both files', async () => {
    await writeArticle('a-first.md', { slug: 'same-slug' });
    await writeArticle('b-second.md', { slug: 'same-slug', title: 'Another Title' });
    const message = await singleErrorMessage('b-second.md', 'slug');
    expect(message).toContain('same-slug');
    expect(message).toContain('content/a-first.md');
  });

  it('reports the errors of every invalid file, not only the first', async () => {
    await writeArticle('a-valid.md');
    await writeArticle('b-bad-date.md', { slug: 'b-bad-date', datePublished: 'yesterday' });
    await writeContent('c-no-front-matter.md', 'Just a body.\n');
    await writeArticle('d-bad-slug.md', { slug: 'Not_A_Slug' });
    await writeContent('e-empty-body.md', documentText(frontMatter({ slug: 'e-empty' }), ''));

    const errors = expectErrors(await buildContent(contentDir));

    expect(errors.map((error) => error.split(': ').slice(0, 2).join(': '))).toEqual([
      'content/b-bad-date.md: datePublished',
      'content/c-no-front-matter.md: front matter',
      'content/d-bad-slug.md: slug',
      'content/e-empty-body.md: body',
    ]);
  });

  it('reports every wrong field of one file', async () => {
    await writeArticle('many.md', {
      title: '""',
      slug: 'Bad Slug',
      datePublished: '2016-13-01',
      extra: 'sources: BBC',
    });
    const errors = expectErrors(await buildContent(contentDir));
    const fields = errors.map((error) => {
      expect(error.startsWith('content/many.md: ')).toBe(true);
      return error.split(': ')[1];
    });
    expect(fields.sort()).toEqual(['datePublished', 'slug', 'sources', 'title']);
  });
});

describe('content build CLI', () => {
  const cli = (content: string, out: string) =>
    run('npx', ['tsx', 'scripts/cli/build-content.ts', '--content', content, '--out', out], {
      cwd: repoRoot,
      timeout: CLI_TIMEOUT_MS,
    });

  it(
    'writes the KV bulk file for a valid folder and exits 0',
    async () => {
      await writeArticle('valid.md');
      const out = path.join(tmp, 'out', 'kv.json');

      const { stdout } = await cli(contentDir, out);

      expect(stdout).toMatch(/1 article/);
      const entries = JSON.parse(await readFile(out, 'utf8')) as KvEntry[];
      expect(Array.isArray(entries)).toBe(true);
      expect(keysOf(entries)).toEqual([
        'v1:article:a-valid-article:<hash>',
        'v1:index-page:<hash>',
        'v1:index:<hash>',
        'v1:version',
      ]);
      for (const entry of entries) expect(typeof entry.value).toBe('string');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'exits non-zero for an invalid folder, prints file: field: message and writes nothing',
    async () => {
      await writeArticle('valid.md');
      await writeArticle('bad.md', { slug: 'bad', datePublished: '2016-02-30' });
      const out = path.join(tmp, 'out', 'kv.json');

      const failure = await cli(contentDir, out).then(
        () => {
          throw new Error('expected the CLI to fail');
        },
        (error: unknown) => error as { code?: unknown; stderr?: unknown },
      );

      expect(failure.code).toEqual(expect.any(Number));
      expect(failure.code).not.toBe(0);
      expect(String(failure.stderr)).toMatch(/^content\/bad\.md: datePublished: \S.*$/m);
      await expect(access(out)).rejects.toThrow();
      await expect(access(path.dirname(out))).rejects.toThrow();
    },
    CLI_TIMEOUT_MS,
  );
});

describe("the tests' copy of the shipped article", () => {
  it('builds the shipped article with its front matter', async () => {
    const { records, entries } = expectOk(
      await buildContent(path.join(repoRoot, 'tests/fixtures/content')),
    );

    const record = records.find(
      (candidate) => candidate.slug === 'trump-seeks-to-renew-relations-with-putins-russia',
    );
    expect(record).toMatchObject({
      title: "Trump Seeks To Renew Relations With Putin's Russia",
      authors: [],
      datePublished: '2016-11-14',
      sources: ['BBC', 'RT', 'New York Review of Books', 'The New York Times'],
      image: { credit: 'brando.n/Flickr' },
    });
    expect(record?.wordCount).toBeGreaterThan(0);
    expect(record?.hash).toMatch(/^[0-9a-f]{32}$/);
    expect(entries.at(-1)?.key).toBe('v1:version');
  });
});
