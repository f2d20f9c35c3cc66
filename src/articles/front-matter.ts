/**
 * What an author writes: a content file's YAML front matter (or the API's JSON fields), every
 * field validated with a message that names the value and what is wrong. The content build, the
 * publish CLI and the publisher use it; the reader does not (it reads records: schema.ts).
 */
import * as v from 'valibot';
import { FACET_NAME_MAX_LENGTH, facetSlug } from './facets';
import { canonicalLanguage } from './language';
import { instant, isoDate, shown, slug } from './schema';

// Messages name no field: the build prints them after the field's path (`file: title: …`).
const text = (max: number) =>
  v.pipe(
    v.string('must be text'),
    v.trim(),
    v.nonEmpty('must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
  );

const nameList = v.array(text(200), 'must be a list');

/** A section, tag or author: a name with a letter or digit in it (its page's URL is made of them). */
const facetName = v.pipe(
  text(FACET_NAME_MAX_LENGTH),
  v.check(
    (name) => facetSlug(name) !== '',
    (issue) => `${shown(issue.input)} needs a letter or a digit (its page's URL is made of them)`,
  ),
);

/** Names whose pages would be one page (`US` and `us`): the second is refused, by name. */
function sameSegment(names: readonly string[]): string | undefined {
  const seen = new Map<string, string>();
  for (const name of names) {
    const segment = facetSlug(name);
    const before = seen.get(segment);
    if (before !== undefined)
      return `${shown(name)} and ${shown(before)} would share one page (…/${segment}): keep one`;
    seen.set(segment, name);
  }
  return undefined;
}
const facetList = (max: number) =>
  v.pipe(
    v.array(facetName, 'must be a list'),
    v.maxLength(max, `must have at most ${max} entries`),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const message = sameSegment(dataset.value);
      if (message) addIssue({ message });
    }),
  );

/** A language tag (BCP 47: `en`, `en-GB`, `pt-BR`), kept in its canonical case. */
const languageTag = v.pipe(
  v.string('must be text'),
  v.trim(),
  v.check(
    (tag) => canonicalLanguage(tag) !== undefined,
    (issue) => `${shown(issue.input)} is not a language tag (BCP 47, e.g. en, en-GB, fr)`,
  ),
  v.transform((tag) => canonicalLanguage(tag) ?? tag),
);

/**
 * An image's address: an absolute https URL, or a path on this site (`/images/x.jpg`). Not
 * http: the pages' CSP (`img-src 'self' https:`) would block it, and browsers call it mixed content.
 */
const imageSource = v.pipe(
  v.string('must be text'),
  v.trim(),
  v.check(
    (src) => (src.startsWith('/') && !src.startsWith('//')) || /^https:\/\/[^/\s]+/i.test(src),
    (issue) => `${shown(issue.input)} must be an absolute https URL or a path starting with /`,
  ),
  v.check(
    (src) => !/\s/.test(src),
    (issue) => `${shown(issue.input)} must not contain spaces`,
  ),
  v.maxLength(2000, 'must be at most 2000 characters'),
);
const pixels = v.pipe(
  v.number('must be a number of pixels'),
  v.integer('must be a whole number of pixels'),
  v.minValue(1, 'must be at least 1'),
  v.maxValue(20_000, 'must be at most 20000'),
);

/**
 * Messages for a mapping's own issues: an unknown key (`expected: never`), a missing key
 * (the issue's path names it), or a value that is not a mapping at all.
 */
const mappingMessage =
  (allowed: readonly string[]) =>
  (issue: v.BaseIssue<unknown>): string => {
    if (issue.expected === 'never') return `unknown field (allowed: ${allowed.join(', ')})`;
    if (issue.path?.length) return 'is required';
    return 'must be a mapping of fields';
  };

const IMAGE_FIELDS = ['src', 'alt', 'width', 'height', 'caption', 'credit'] as const;

/**
 * The lead picture, or only its credit (the first article has a credit and no picture). With a
 * `src`: `alt` (what it shows, for those who cannot see it) and both dimensions (so the page
 * reserves its space and nothing shifts) are required.
 */
const image = v.pipe(
  v.strictObject(
    {
      src: v.optional(imageSource),
      alt: v.optional(text(500)),
      width: v.optional(pixels),
      height: v.optional(pixels),
      caption: v.optional(text(500)),
      credit: v.optional(text(200)),
    },
    mappingMessage(IMAGE_FIELDS),
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const value = dataset.value;
    const at = (key: (typeof IMAGE_FIELDS)[number], message: string) =>
      addIssue({
        message,
        path: [{ type: 'object', origin: 'value', input: value, key, value: value[key] }],
      });
    if (value.src === undefined) {
      for (const key of ['alt', 'width', 'height', 'caption'] as const) {
        if (value[key] !== undefined) at(key, 'describes a picture, but the image has no src');
      }
      if (value.credit === undefined) {
        addIssue({ message: 'must have a src (with alt, width and height) or a credit' });
      }
      return;
    }
    if (value.alt === undefined)
      at('alt', 'is required with src (what the picture shows, for screen readers)');
    if (value.width === undefined)
      at('width', 'is required with src (the page reserves its space)');
    if (value.height === undefined)
      at('height', 'is required with src (the page reserves its space)');
  }),
);

export const FRONT_MATTER_FIELDS = [
  'title',
  'slug',
  'description',
  'datePublished',
  'dateModified',
  'authors',
  'sources',
  'image',
  'section',
  'tags',
  'lang',
  'correction',
  'draft',
  'publishAt',
] as const;

/** What an author writes in a content file's YAML front matter. Unknown fields are errors. */
export const FrontMatterSchema = v.strictObject(
  {
    title: text(200),
    slug,
    description: text(300),
    datePublished: isoDate,
    dateModified: v.optional(isoDate),
    authors: v.optional(facetList(20), []),
    sources: v.optional(nameList, []),
    image: v.optional(image),
    /** The one section it is filed under (`World`): a page, feeds and the masthead's navigation. */
    section: v.optional(facetName),
    /** A few subjects (`Russia`), each with a page and feeds. */
    tags: v.optional(facetList(12), []),
    /** Its language when not the site's (`SITE_LANG`). */
    lang: v.optional(languageTag),
    /** What was corrected, shown at the article's foot; needs `dateModified`, the date of it. */
    correction: v.optional(text(1000)),
    /** Stored as the slug's latest draft (`v1:draft:<slug>`), never listed or served. */
    draft: v.optional(v.boolean('must be true or false'), false),
    /** Scheduled: published by the publisher at this instant; before it, served nowhere. */
    publishAt: v.optional(instant),
  },
  mappingMessage(FRONT_MATTER_FIELDS),
);
export type FrontMatter = v.InferOutput<typeof FrontMatterSchema>;
