/**
 * The worker's YAML reader against js-yaml (core schema), the library it stands in for:
 * whatever it accepts, js-yaml reads to the same value; what front matter is written with,
 * it accepts; what it does not support, it refuses with a line and a reason.
 */
import fc from 'fast-check';
import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseYaml, YamlError } from '../../src/publisher/yaml-subset';

function reference(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: load(text, { schema: CORE_SCHEMA }) };
  } catch {
    return { ok: false };
  }
}

function ours(text: string): { ok: true; value: unknown } | { ok: false; error: YamlError } {
  try {
    return { ok: true, value: parseYaml(text) };
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    return { ok: false, error };
  }
}

/** Accepted by us → accepted by js-yaml with the same value. */
function expectNoDivergence(text: string): void {
  const mine = ours(text);
  if (!mine.ok) return;
  const theirs = reference(text);
  expect(theirs, `js-yaml refuses what we read: ${JSON.stringify(text)}`).toMatchObject({
    ok: true,
  });
  // An empty document is undefined or null in js-yaml depending on comments: both mean "nothing".
  if (theirs.ok)
    expect(mine.value ?? null, JSON.stringify(text)).toStrictEqual(theirs.value ?? null);
}

/** Both accept, and read the same value. */
function expectSame(text: string): void {
  const mine = ours(text);
  if (!mine.ok) throw new Error(`refused ${JSON.stringify(text)}: ${mine.error.message}`);
  expect(mine.value ?? null).toStrictEqual(load(text, { schema: CORE_SCHEMA }) ?? null);
}

const FRONT_MATTER_FORMS = [
  "title: Trump Seeks To Renew Relations With Putin's Russia\nslug: a-b\n# why\ndatePublished: 2016-11-14\nsources:\n  - BBC\n  - RT\nimage:\n  credit: brando.n/Flickr",
  "title: \"Quoted: with colon\"\ndescription: 'It''s single'",
  'sources: [BBC, "New York Times", RT]\nauthors: []',
  'sources:\n- BBC\n- RT\ndraft: true',
  'description: >-\n  Folded text\n  over lines.\n\n  New paragraph.\ntitle: x',
  'description: |\n  Literal\n    kept indent\n\nnext: y',
  'description: A long plain value\n  that continues here\n\n  and after a blank line.\nnext: 1',
  'title:   spaced   # comment\nempty:\nnull-ish: ~\nnumbers: [1, -2, 0x1F, 1_000, 1.5e3, .inf, -.Inf, .nan, 0o17, 0b101]',
  'list:\n  - name: BBC\n    url: https://bbc.co.uk/news?x=1#top\n  - name: RT\n  -\n  -\n    - nested\n    - list',
  '"quoted key": 1\n\'single\': 2\nescapes: "tab\\t nl\\n \\u00e9 \\x41 \\U0001F600 \\" \\\\ \\/ \\_"',
  'a: |+\n  keep\n\n\nb: >\n  fold\n   more\n  back\n',
  '__proto__: x\nconstructor: y',
  '\uFEFFtitle: after a byte order mark',
  '-\n  - ~\n- a',
  'crlf: one\r\nnext: two\r\n',
  '  indented: root\n  mapping: yes',
  '# only a comment',
  '',
  'key with spaces: v\nurl: http://example.com:8080/a#b\nhash#tag: x',
  'dates: [2016-11-14, 2016-11-14T09:30:00Z]\nversion: 1.0\nzero: -0\nleading: 012',
];

describe('yaml-subset reads front matter as js-yaml does', () => {
  it.each(FRONT_MATTER_FORMS)('reads %j', (text) => expectSame(text));

  it('reads the shipped article front matter exactly as js-yaml does', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(
      'content/trump-seeks-to-renew-relations-with-putins-russia.md',
      'utf8',
    );
    const yaml = source.split(/^---$/m)[1] ?? '';
    expectSame(yaml);
  });

  it.each([
    ['a: &anchor x', /anchors/],
    ['a: *alias', /aliases/],
    ['a: !tag x', /tags/],
    ['a: {b: 1}', /flow mappings/],
    ['a: "open\n  close"', /quoted text must end on its line/],
    ['a: [x,\n  y]', /must end on its line/],
    ['a: |2\n   x', /block scalar header/],
    ['a: 1\na: 2', /duplicated key "a"/],
    ['a: b: c', /must be quoted/],
    ['a:\n\tb: 1', /spaces, not tabs/],
    ['a: 1\n  b: 2', /bad indentation/],
    ['a:\n    b: 1\n  c: 2', /bad indentation/],
    ['%YAML 1.2', /directives/],
    ['a: "\\q"', /unknown escape/],
    ['a: x\u0007', /control character/],
    // Where js-yaml departs from a plain reading; found by a second fuzzer, refused rather than guessed.
    ['---a: b', /document markers/],
    ['# c\n---title: x', /document markers/],
    ['a\n...', /document markers/],
    ['-\n  -\n- a', /empty list item/],
    ['sources:\n- name: BBC\n  tags:\n  -\n- name: RT', /empty list item/],
  ])('refuses %j with a reason and a position', (text, reason) => {
    const result = ours(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.reason).toMatch(reason);
    expect(result.error.line).toBeGreaterThanOrEqual(1);
    expect(result.error.column).toBeGreaterThanOrEqual(1);
  });

  it('reads long runs of spaces in linear time (1 MiB in a value, a key and a list)', () => {
    const spaces = ' '.repeat(1 << 20);
    expect(parseYaml(`a: x${spaces}y`)).toEqual({ a: `x${spaces}y` });
    expect(parseYaml(`a${spaces}b: c`)).toEqual({ [`a${spaces}b`]: 'c' });
    expect(parseYaml(`a: [x${spaces}y]`)).toEqual({ a: [`x${spaces}y`] });
  });

  it('reports the line of the problem', () => {
    const result = ours('title: x\nslug: y\nbad: [z');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.line).toBe(3);
  });
});

// Generated documents: pieces of front matter put together at random, including broken ones.
const word = fc.constantFrom(
  'a',
  'BBC',
  'title',
  'x y',
  '~',
  'null',
  'True',
  'false',
  'yes',
  '0',
  '-0',
  '012',
  '0x1f',
  '0o7',
  '0b2',
  '1_000',
  '1_',
  '.5',
  '1e3',
  '.inf',
  '.NaN',
  '+1',
  '2016-11-14',
  'http://x:80/a#b',
  'a#b',
  'a #c',
  'é',
  '-',
  '- a',
  '-a',
  '?',
  '? a',
  ':a',
  'a:',
  'a: b',
  '[a]',
  '[a, b]',
  '[]',
  '{a: 1}',
  '{}',
  '{ }',
  '"q"',
  '"q\\tr"',
  "'s''t'",
  "'s'x",
  '"',
  "'",
  '|',
  '>-',
  '|+',
  '&x',
  '*x',
  '!t',
  '@',
  '`',
  '#',
  ' ',
  '\t',
  'a\tb',
  '%',
  ',',
  ']',
  '}',
  '__proto__',
);
const indentOf = fc.constantFrom('', ' ', '  ', '   ', '    ', '      ', '\t');
const line = fc.oneof(
  fc
    .tuple(indentOf, word, fc.constantFrom(':', ': ', ':  ', ' :'), word)
    .map(([i, k, c, v]) => `${i}${k}${c}${v}`),
  fc.tuple(indentOf, word).map(([i, k]) => `${i}${k}:`),
  fc.tuple(indentOf, fc.constantFrom('-', '- ', '-  '), word).map(([i, d, v]) => `${i}${d}${v}`),
  fc.tuple(indentOf, word).map(([i, v]) => `${i}${v}`),
  fc.tuple(indentOf, fc.constantFrom('# c', '', ' ')).map(([i, v]) => `${i}${v}`),
);
const documentText = fc
  .tuple(
    fc.array(line, { minLength: 1, maxLength: 8 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(([lines, eol, final]) => lines.join(eol) + (final ? eol : ''));

describe('yaml-subset never reads a document differently from js-yaml', () => {
  it('holds for generated documents (what it accepts, js-yaml reads the same)', () => {
    fc.assert(fc.property(documentText, expectNoDivergence), { numRuns: 5000 });
  });

  it('holds for arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), expectNoDivergence), { numRuns: 2000 });
  });

  it('accepts well-formed front matter built from the supported forms', () => {
    const scalar = fc.oneof(
      fc.constantFrom('BBC', 'New York Times', 'brando.n/Flickr', '2016-11-14', 'true', '42', '~'),
      fc.string({ minLength: 1, maxLength: 12 }).map((s) => JSON.stringify(s)),
    );
    const field = fc.oneof(
      fc
        .tuple(fc.constantFrom('title', 'slug', 'description'), scalar)
        .map(([k, v]) => [`${k}: ${v}`]),
      fc
        .tuple(fc.constantFrom('sources', 'authors'), fc.array(scalar, { maxLength: 4 }))
        .map(([k, items]) =>
          items.length === 0 ? [`${k}: []`] : [`${k}:`, ...items.map((item) => `  - ${item}`)],
        ),
      fc
        .tuple(fc.constantFrom('sources', 'authors'), fc.array(scalar, { maxLength: 4 }))
        .map(([k, items]) => [`${k}: [${items.join(', ')}]`]),
      scalar.map((v) => ['image:', `  credit: ${v}`]),
    );
    const frontMatter = fc.uniqueArray(field, {
      minLength: 1,
      maxLength: 6,
      selector: (f) => f[0]?.split(':')[0],
    });
    fc.assert(
      fc.property(frontMatter, (fields) => expectSame(fields.flat().join('\n'))),
      { numRuns: 1000 },
    );
  });
});

describe('the content build reads front matter twice (scripts/lib/yaml-reference.ts)', () => {
  it('passes when js-yaml reads what the worker read', async () => {
    const { readingDiffers } = await import('../../scripts/lib/yaml-reference');
    expect(
      readingDiffers('---\ntitle: Hi\nsources: [a]\n---\nBody', { title: 'Hi', sources: ['a'] }),
    ).toBeUndefined();
  });

  it('names the fields js-yaml reads differently, and says when js-yaml refuses', async () => {
    const { readingDiffers } = await import('../../scripts/lib/yaml-reference');
    expect(readingDiffers('---\ntitle: 1\nslug: a\n---\n', { title: '1', slug: 'a' })).toMatch(
      /^js-yaml reads title differently/,
    );
    expect(readingDiffers('---\ntitle: [a\n---\n', { title: 'x' })).toMatch(/^js-yaml refuses it/);
  });
});
