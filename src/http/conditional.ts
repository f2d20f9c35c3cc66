/**
 * Conditional requests, RFC 9110 §13: evaluated before a body is rendered, in the order of
 * §13.2.2 (If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since).
 */

export interface Validators {
  /** A strong entity tag, quoted: `"abc"`. */
  etag: string;
  /** Last modification, whole seconds (HTTP dates have no finer precision). */
  lastModified?: Date;
}

export interface ConditionalHeaders {
  method: string;
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | undefined;
  ifUnmodifiedSince?: string | undefined;
}

/** `proceed`: send the representation; `not-modified`: 304; `precondition-failed`: 412. */
export type ConditionalOutcome = 'proceed' | 'not-modified' | 'precondition-failed';

const ENTITY_TAG = /^(W\/)?("[\x21\x23-\x7e\x80-\xff]*")$/;

/**
 * The tags of an entity-tag list (§8.8.3), or undefined when any member is malformed: a
 * malformed field matches nothing rather than whatever quoted text it happens to contain.
 */
function parseTagList(field: string): { weak: boolean; opaque: string }[] | undefined {
  const tags: { weak: boolean; opaque: string }[] = [];
  for (const member of field.split(',')) {
    const trimmed = member.trim();
    if (trimmed === '') continue; // empty list elements are allowed (§5.6.1)
    const match = ENTITY_TAG.exec(trimmed);
    if (!match) return undefined;
    tags.push({ weak: match[1] !== undefined, opaque: match[2] ?? '' });
  }
  return tags;
}

/** True when the field is `*` or lists a tag matching `etag` under weak comparison (§13.1.2). */
function noneMatchHits(field: string, etag: string): boolean {
  if (field.trim() === '*') return true;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  return parseTagList(field)?.some((tag) => tag.opaque === opaque) ?? false;
}

/** True when the field is `*` or lists `etag` under strong comparison (§13.1.1). */
function matchHits(field: string, etag: string): boolean {
  if (field.trim() === '*') return true;
  if (etag.startsWith('W/')) return false;
  return parseTagList(field)?.some((tag) => !tag.weak && tag.opaque === etag) ?? false;
}

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
const DAYS = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
/** The three HTTP-date forms of RFC 9110 §5.6.7: IMF-fixdate, obsolete RFC 850 and asctime. */
const HTTP_DATE = new RegExp(
  `^(?:(?:${DAYS}), \\d{2} (?:${MONTHS}) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT` +
    `|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \\d{2}-(?:${MONTHS})-\\d{2} \\d{2}:\\d{2}:\\d{2} GMT` +
    `|(?:${DAYS}) (?:${MONTHS}) [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\d{4})$`,
);

/** Milliseconds since the epoch, or undefined for anything that is not a valid HTTP-date. */
export function parseHttpDate(value: string): number | undefined {
  const trimmed = value.trim();
  if (!HTTP_DATE.test(trimmed)) return undefined;
  // asctime has no zone: it is GMT by definition.
  const ms = Date.parse(trimmed.endsWith('GMT') ? trimmed : `${trimmed} GMT`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** @example formatHttpDate(new Date(0)) // 'Thu, 01 Jan 1970 00:00:00 GMT' */
export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * @example evaluateConditions({ method: 'GET', ifNoneMatch: '"a", "b"' }, { etag: '"b"' }) // 'not-modified'
 */
export function evaluateConditions(
  request: ConditionalHeaders,
  { etag, lastModified }: Validators,
): ConditionalOutcome {
  const safe = request.method === 'GET' || request.method === 'HEAD';
  const modified = lastModified === undefined ? undefined : seconds(lastModified.getTime());

  if (request.ifMatch !== undefined) {
    if (!matchHits(request.ifMatch, etag)) return 'precondition-failed';
  } else if (request.ifUnmodifiedSince !== undefined && modified !== undefined) {
    const since = parseHttpDate(request.ifUnmodifiedSince);
    if (since !== undefined && modified > seconds(since)) return 'precondition-failed';
  }

  if (request.ifNoneMatch !== undefined) {
    if (noneMatchHits(request.ifNoneMatch, etag))
      return safe ? 'not-modified' : 'precondition-failed';
    // §13.1.3: If-Modified-Since is ignored whenever If-None-Match is present.
    return 'proceed';
  }
  if (safe && request.ifModifiedSince !== undefined && modified !== undefined) {
    const since = parseHttpDate(request.ifModifiedSince);
    if (since !== undefined && modified <= seconds(since)) return 'not-modified';
  }
  return 'proceed';
}

/**
 * `Last-Modified` for a list of articles: the newest publish or modification date, never later
 * than now (RFC 9110 §8.8.2.1: a date in the future must not be sent). None for an empty list.
 */
export function lastModifiedOf(
  articles: readonly { datePublished: string; dateModified: string | null }[],
  now = Date.now(),
): { lastModified?: Date } {
  let newest = Number.NEGATIVE_INFINITY;
  for (const a of articles)
    newest = Math.max(newest, Date.parse(a.dateModified ?? a.datePublished));
  return Number.isFinite(newest) ? { lastModified: new Date(Math.min(newest, now)) } : {};
}
