/**
 * The one schema for articles, as stored: what the worker validates when it reads KV, and the
 * types everything takes. What an author writes is front-matter.ts, built on the same field
 * validators; the reader never loads that part.
 */
import * as v from 'valibot';

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

const DATE_FORMS = 'YYYY-MM-DD or an RFC 3339 date-time with its zone (2016-11-14T09:30:00Z)';
/** The value as the author wrote it, for messages: `"2026-11-31"`, cut when long. */
export const shown = (input: unknown) => {
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};
export const isoDate = v.pipe(
  v.string((issue) => `${shown(issue.input)} must be a date written as ${DATE_FORMS}`),
  v.check(
    isCalendarDate,
    (issue) => `${shown(issue.input)} is not a real date written as ${DATE_FORMS}`,
  ),
);

/** An instant: an RFC 3339 date-time with its offset (`2026-12-01T09:30:00+01:00`), not a bare date. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
export const instant = v.pipe(
  v.string((issue) => `${shown(issue.input)} must be an RFC 3339 date-time with its offset`),
  v.check(
    (value) => DATE_TIME.test(value) && isCalendarDate(value),
    (issue) =>
      `${shown(issue.input)} is not an RFC 3339 date-time with its offset (2026-12-01T09:30:00+01:00)`,
  ),
);

export const slug = v.pipe(
  v.string('must be text'),
  v.regex(
    SLUG_PATTERN,
    (issue) =>
      `${shown(issue.input)} must be lowercase letters and digits joined by single hyphens`,
  ),
  v.maxLength(SLUG_MAX_LENGTH, `must be at most ${SLUG_MAX_LENGTH} characters`),
);

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
 * rewrites only the chunks it changes (src/publisher/site-writer/index-chunks.ts).
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

/**
 * The version record: the index head's hash of the last publish, which keys every cached
 * response, and the commit that made it (`seq`, counting up; 0 in pointers written before it was
 * recorded): a reader never goes back to a lower one.
 */
export const SiteVersionSchema = v.object({
  version: contentHashSchema,
  seq: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
});
export type SiteVersion = v.InferOutput<typeof SiteVersionSchema>;

/** The publisher's answer at CURRENT_VERSION_PATH: the version (null before the first publish). */
export const CurrentVersionSchema = v.object({
  version: v.nullable(contentHashSchema),
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type CurrentVersion = v.InferOutput<typeof CurrentVersionSchema>;
