/**
 * The content model's newsroom fields (section, tags, authors, image, lang, correction): what a
 * valid document gives the record, and the message each kind of mistake gets, naming the field.
 */
import { describe, expect, it } from 'vitest';
import { facetSlug } from '../../src/articles/facets';
import { buildArticleRecord, type FieldError } from '../../src/publisher/build-record';
import { renderMarkdown } from '../../src/publisher/render-markdown';

const BASE = [
  'title: A Valid Article',
  'slug: a-valid-article',
  'description: A short description of the article.',
  'datePublished: 2020-05-17',
];

const documentWith = (...lines: string[]) =>
  `---\n${[...BASE, ...lines].join('\n')}\n---\n\nBody.\n`;

async function recordOf(...lines: string[]) {
  const result = await buildArticleRecord(documentWith(...lines));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.record;
}

async function errorsOf(...lines: string[]): Promise<FieldError[]> {
  const result = await buildArticleRecord(documentWith(...lines));
  if (result.ok) throw new Error('expected field errors, the document was accepted');
  return result.errors;
}

describe('section, tags and authors', () => {
  it('keeps them as written and leaves unset ones out of the record (old hashes stay)', async () => {
    const plain = await recordOf();
    expect(plain).not.toHaveProperty('section');
    expect(plain).not.toHaveProperty('tags');
    const filed = await recordOf('section: World', 'tags: [Russia, United States]');
    expect(filed).toMatchObject({ section: 'World', tags: ['Russia', 'United States'] });
    expect(filed.hash).not.toBe(plain.hash);
  });

  it('makes each name a URL segment, Unicode kept, punctuation one hyphen', () => {
    expect(facetSlug('United States')).toBe('united-states');
    expect(facetSlug('  Science & Tech ')).toBe('science-tech');
    expect(facetSlug('Zürich')).toBe('zürich');
    expect(facetSlug('日本')).toBe('日本');
  });

  it('refuses a name without a letter or digit, naming the entry', async () => {
    expect(await errorsOf('tags: [Russia, "—"]')).toEqual([
      {
        field: 'tags.1',
        message: `"—" needs a letter or a digit (its page's URL is made of them)`,
      },
    ]);
  });

  it('refuses two tags that would be one page', async () => {
    const [error] = await errorsOf('tags: [US, us]');
    expect(error?.field).toBe('tags');
    expect(error?.message).toBe('"us" and "US" would share one page (…/us): keep one');
  });

  it('refuses more than 12 tags and a section that is a list', async () => {
    const many = Array.from({ length: 13 }, (_, i) => `t${i}`).join(', ');
    expect(await errorsOf(`tags: [${many}]`)).toEqual([
      { field: 'tags', message: 'must have at most 12 entries' },
    ]);
    expect(await errorsOf('section: [World, Politics]')).toEqual([
      { field: 'section', message: 'must be text' },
    ]);
  });
});

describe('image', () => {
  it('takes a picture with its alt, dimensions, caption and credit', async () => {
    const record = await recordOf(
      'image:',
      '  src: https://images.example/putin.jpg',
      '  alt: Vladimir Putin at a desk',
      '  width: 1200',
      '  height: 800',
      '  caption: At the Kremlin.',
      '  credit: A. Photographer',
    );
    expect(record.image).toEqual({
      src: 'https://images.example/putin.jpg',
      alt: 'Vladimir Putin at a desk',
      width: 1200,
      height: 800,
      caption: 'At the Kremlin.',
      credit: 'A. Photographer',
    });
  });

  it('keeps a credit alone (a credited photo that is not included)', async () => {
    expect((await recordOf('image:', '  credit: brando.n/Flickr')).image).toEqual({
      credit: 'brando.n/Flickr',
    });
  });

  it('requires alt, width and height with src, each by name', async () => {
    expect(await errorsOf('image:', '  src: /images/a.jpg')).toEqual([
      {
        field: 'image.alt',
        message: 'is required with src (what the picture shows, for screen readers)',
      },
      { field: 'image.width', message: 'is required with src (the page reserves its space)' },
      { field: 'image.height', message: 'is required with src (the page reserves its space)' },
    ]);
  });

  it.each([
    ['images/a.jpg', 'must be an absolute https URL or a path starting with /'],
    ['javascript:alert(1)', 'must be an absolute https URL or a path starting with /'],
    ['//cdn.example/a.jpg', 'must be an absolute https URL or a path starting with /'],
    // The pages' CSP allows https images only (and http would be mixed content).
    ['http://images.example/a.jpg', 'must be an absolute https URL or a path starting with /'],
  ])('refuses src %s', async (src, message) => {
    const errors = await errorsOf(
      'image:',
      `  src: "${src}"`,
      '  alt: x',
      '  width: 10',
      '  height: 10',
    );
    expect(errors).toEqual([{ field: 'image.src', message: `"${src}" ${message}` }]);
  });

  it('refuses dimensions that are not whole pixels, and alt without a picture', async () => {
    expect(
      await errorsOf('image:', '  src: /a.jpg', '  alt: x', '  width: 12.5', '  height: 0'),
    ).toEqual([
      { field: 'image.width', message: 'must be a whole number of pixels' },
      { field: 'image.height', message: 'must be at least 1' },
    ]);
    expect(await errorsOf('image:', '  alt: x', '  caption: c', '  credit: y')).toEqual([
      { field: 'image.alt', message: 'describes a picture, but the image has no src' },
      { field: 'image.caption', message: 'describes a picture, but the image has no src' },
    ]);
  });
});

describe('lang and correction', () => {
  it('keeps a language tag in its canonical case and refuses what is not one', async () => {
    expect((await recordOf('lang: en-gb')).lang).toBe('en-GB');
    expect(await errorsOf('lang: english please')).toEqual([
      {
        field: 'lang',
        message: '"english please" is not a language tag (BCP 47, e.g. en, en-GB, fr)',
      },
    ]);
  });

  it('takes a correction with the date it was made, and refuses one without', async () => {
    const record = await recordOf('dateModified: 2020-05-18', 'correction: The date was wrong.');
    expect(record.correction).toBe('The date was wrong.');
    expect(await errorsOf('correction: The date was wrong.')).toEqual([
      { field: 'correction', message: 'needs dateModified (the date of the correction)' },
    ]);
  });
});

describe('quotes in the body', () => {
  it('sets a quote with an attribution line as a pull quote, and a plain quote as a quote', () => {
    expect(renderMarkdown('> Words.\n>\n> — Someone, *Somewhere*')).toBe(
      '<figure class="pullquote"><blockquote>\n<p>Words.</p>\n</blockquote><figcaption>— Someone, <em>Somewhere</em></figcaption></figure>\n',
    );
    expect(renderMarkdown('> Words.\n>\n> More words.')).toBe(
      '<blockquote>\n<p>Words.</p>\n<p>More words.</p>\n</blockquote>\n',
    );
  });

  it('loads pictures in the body lazily', () => {
    expect(renderMarkdown('![A map](/map.png)')).toBe(
      '<p><img src="/map.png" alt="A map" loading="lazy" decoding="async"></p>\n',
    );
  });
});
