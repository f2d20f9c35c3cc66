/**
 * The one schema for articles. The content build validates front matter with it, the worker
 * validates what it reads from KV with it, and both take their TypeScript types from it.
 */
import * as v from 'valibot';

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

const text = (field: string, max: number) =>
  v.pipe(
    v.string(`${field} must be text`),
    v.trim(),
    v.nonEmpty(`${field} must not be empty`),
    v.maxLength(max, `${field} must be at most ${max} characters`),
  );

const isoDate = (field: string) =>
  v.pipe(
    v.string(`${field} must be a date written as YYYY-MM-DD or an RFC 3339 date-time`),
    v.check(
      isCalendarDate,
      `${field} must be a real date written as YYYY-MM-DD or an RFC 3339 date-time`,
    ),
  );

const slug = v.pipe(
  v.string('slug must be text'),
  v.regex(SLUG_PATTERN, 'slug must be lowercase letters and digits joined by single hyphens'),
  v.maxLength(SLUG_MAX_LENGTH, `slug must be at most ${SLUG_MAX_LENGTH} characters`),
);

const nameList = (field: string) =>
  v.array(text(`each of ${field}`, 200), `${field} must be a list`);

const image = v.strictObject({ credit: text('image.credit', 200) }, (issue) =>
  issue.expected === 'never'
    ? `image has an unknown field (allowed: credit)`
    : 'image must be a mapping with a credit',
);

/** What an author writes in a content file's YAML front matter. Unknown fields are errors. */
export const FrontMatterSchema = v.strictObject(
  {
    title: text('title', 200),
    slug,
    description: text('description', 300),
    datePublished: isoDate('datePublished'),
    dateModified: v.optional(isoDate('dateModified')),
    authors: v.optional(nameList('authors'), []),
    sources: v.optional(nameList('sources'), []),
    image: v.optional(image),
  },
  (issue) =>
    issue.expected === 'never'
      ? 'unknown field (allowed: title, slug, description, datePublished, dateModified, authors, sources, image)'
      : 'front matter must be a YAML mapping',
);
export type FrontMatter = v.InferOutput<typeof FrontMatterSchema>;

/** One published article as stored in KV: front matter plus everything computed at build time. */
export const ArticleRecordSchema = v.object({
  slug,
  title: v.string(),
  description: v.string(),
  authors: v.array(v.string()),
  datePublished: isoDate('datePublished'),
  dateModified: v.nullable(isoDate('dateModified')),
  sources: v.array(v.string()),
  image: v.nullable(v.object({ credit: v.string() })),
  wordCount: v.pipe(v.number(), v.integer(), v.minValue(0)),
  bodyMarkdown: v.string(),
  bodyHtml: v.string(),
  /** Hash of everything above: changes whenever anything a reader sees changes. */
  hash: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
});
export type ArticleRecord = v.InferOutput<typeof ArticleRecordSchema>;

/** What lists need of an article (home page now; feeds and sitemap later). */
export const ArticleSummarySchema = v.object({
  slug,
  title: v.string(),
  description: v.string(),
  datePublished: v.string(),
  dateModified: v.nullable(v.string()),
});
export type ArticleSummary = v.InferOutput<typeof ArticleSummarySchema>;

/** The index record: every published article, newest first. Written last at publish time. */
export const ArticleIndexSchema = v.object({
  articles: v.array(ArticleSummarySchema),
});
export type ArticleIndex = v.InferOutput<typeof ArticleIndexSchema>;
