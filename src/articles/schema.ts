/**
 * The one schema for articles. The content build validates front matter with it, the worker
 * validates what it reads from KV with it, and both take their TypeScript types from it.
 */
import * as v from 'valibot';
import { FACET_NAME_MAX_LENGTH, facetSlug } from './facets';

/** Largest content document accepted (build and API): far above any article, far below KV's limit. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** Lowercase words joined by single hyphens: `trump-seeks-to-renew-relations`. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 120;

/** `2016-11-14` or an RFC 3339 date-time with an offset (`2016-11-14T09:30:00Z`). */
const ISO_DATE_OR_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** True for a real calendar date (rejects `2016-02-30`, which `Date.parse` would roll over). */
function isCalendarDate(value: string): boolean {
  const match = ISO_DATE_OR_DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    !Number.isNaN(Date.parse(value))
  );
}

// Messages name no field: the build prints them after the field's path (`file: title: …`).
const text = (max: number) =>
  v.pipe(
    v.string('must be text'),
    v.trim(),
    v.nonEmpty('must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
  );

const DATE_FORMS = 'YYYY-MM-DD or an RFC 3339 date-time with its zone (2016-11-14T09:30:00Z)';
/** The value as the author wrote it, for messages: `"2026-11-31"`, cut when long. */
const shown = (input: unknown) => {
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};
const isoDate = v.pipe(
  v.string((issue) => `${shown(issue.input)} must be a date written as ${DATE_FORMS}`),
  v.check(
    isCalendarDate,
    (issue) => `${shown(issue.input)} is not a real date written as ${DATE_FORMS}`,
  ),
);

/** An instant: an RFC 3339 date-time with its offset (`2026-12-01T09:30:00+01:00`), not a bare date. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const instant = v.pipe(
  v.string((issue) => `${shown(issue.input)} must be an RFC 3339 date-time with its offset`),
  v.check(
    (value) => DATE_TIME.test(value) && isCalendarDate(value),
    (issue) =>
      `${shown(issue.input)} is not an RFC 3339 date-time with its offset (2026-12-01T09:30:00+01:00)`,
  ),
);

const slug = v.pipe(
  v.string('must be text'),
  v.regex(
    SLUG_PATTERN,
    (issue) =>
      `${shown(issue.input)} must be lowercase letters and digits joined by single hyphens`,
  ),
  v.maxLength(SLUG_MAX_LENGTH, `must be at most ${SLUG_MAX_LENGTH} characters`),
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
      return `${shown(name)} and ${shown(before)} are one page (/${segment}): keep one`;
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

/** `en-gb` → `en-GB`; undefined when Intl does not know it as a well-formed tag. */
export function canonicalLanguage(tag: string): string | undefined {
  if (!/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(tag)) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** An image's address: an absolute http(s) URL, or a path on this site (`/images/x.jpg`). */
const imageSource = v.pipe(
  v.string('must be text'),
  v.trim(),
  v.check(
    (src) => (src.startsWith('/') && !src.startsWith('//')) || /^https?:\/\/[^/\s]+/i.test(src),
    (issue) => `${shown(issue.input)} must be an absolute http(s) URL or a path starting with /`,
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
      for (const key of ['alt', 'width', 'height'] as const) {
        if (value[key] !== undefined) at(key, 'describes a picture, but the image has no src');
      }
      if (value.credit === undefined && value.caption === undefined) {
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

const contentHashSchema = v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/));

/** One published article as stored in KV: front matter plus everything computed at build time. */
export const ArticleRecordSchema = v.object({
  slug,
  title: v.string(),
  description: v.string(),
  authors: v.array(v.string()),
  datePublished: isoDate,
  dateModified: v.nullable(isoDate),
  sources: v.array(v.string()),
  image: v.nullable(
    v.object({
      src: v.optional(v.string()),
      alt: v.optional(v.string()),
      width: v.optional(v.number()),
      height: v.optional(v.number()),
      caption: v.optional(v.string()),
      credit: v.optional(v.string()),
    }),
  ),
  // Each of these is present only when set, so records written before they existed (and their
  // hashes) stay as they were.
  section: v.optional(v.string()),
  tags: v.optional(v.array(v.string())),
  lang: v.optional(v.string()),
  correction: v.optional(v.string()),
  draft: v.boolean(),
  /** Present only when the article was scheduled (records without it keep their hashes). */
  publishAt: v.optional(instant),
  wordCount: v.pipe(v.number(), v.integer(), v.minValue(0)),
  bodyMarkdown: v.string(),
  bodyHtml: v.string(),
  /** Hash of everything above: changes whenever anything a reader sees changes. */
  hash: contentHashSchema,
});
export type ArticleRecord = v.InferOutput<typeof ArticleRecordSchema>;

/** What lists need of an article (home page now; feeds and sitemap later). */
export const ArticleSummarySchema = v.object({
  slug,
  title: v.string(),
  description: v.string(),
  datePublished: v.string(),
  dateModified: v.nullable(v.string()),
  /** What the lists group by (present only when set, like the record's fields). */
  section: v.optional(v.string()),
  tags: v.optional(v.array(v.string())),
  authors: v.optional(v.array(v.string())),
  /** The record's hash: with the slug, the key of the published revision. */
  hash: contentHashSchema,
});
export type ArticleSummary = v.InferOutput<typeof ArticleSummarySchema>;

/** Every published article, newest first: what the index pages hold together. */
export interface ArticleIndex {
  /** Hash of the whole list: the site's version. */
  hash: string;
  articles: ArticleSummary[];
}

/**
 * The index as stored: a head naming its pages (chunks, newest first), each at most CHUNK_MAX
 * summaries, so no value nears KV's 25 MiB limit whatever the number of articles, and a publish
 * rewrites only the chunks it changes (src/publisher/index-chunks.ts).
 */
export const IndexHeadSchema = v.object({
  hash: contentHashSchema,
  total: v.pipe(v.number(), v.integer(), v.minValue(0)),
  pages: v.array(contentHashSchema),
});
export type IndexHead = v.InferOutput<typeof IndexHeadSchema>;

export const IndexPageSchema = v.object({ articles: v.array(ArticleSummarySchema) });
export type IndexPage = v.InferOutput<typeof IndexPageSchema>;

/** Summaries per index chunk at most: about 300 KB, far below KV's 25 MiB value limit. */
export const CHUNK_MAX = 1000;

/** The version record: the index head's hash of the last publish. Keys every cached response. */
export const SiteVersionSchema = v.object({ version: contentHashSchema });
export type SiteVersion = v.InferOutput<typeof SiteVersionSchema>;
