/**
 * The publishing API's handlers: read the request, build records with the same parser, schema
 * and renderer as `npm run content:build`, and hand them to the Durable Object, which evaluates
 * the preconditions and commits. `curl -X PUT --data-binary @content/<slug>.md` publishes exactly
 * what the CLI would.
 */

import { validator } from 'hono/validator';
import { type ArticleRecord, SLUG_MAX_LENGTH, SLUG_PATTERN } from '../articles/schema';
import { negotiate } from '../http/negotiate';
import { ProblemError } from '../http/problem';
import { articlePath } from '../views/paths';
import type { FileRecord, WriteResult } from './api-types';
import {
  type BuildResult,
  buildArticleRecord,
  buildFromParts,
  decodeUtf8,
  type FieldError,
} from './build-record';
import { type PublisherContext, siteOrigin } from './context';
import { serializeDocument } from './parse-document';
import { revisionTag } from './site-writer/preconditions';

const conditionsOf = (c: PublisherContext) => ({
  ifMatch: c.req.header('If-Match'),
  ifNoneMatch: c.req.header('If-None-Match'),
});

/** The public URL of an article. */
const publicUrl = (c: PublisherContext, slug: string) => siteOrigin(c) + articlePath(slug);

/** A 422 listing each field's problem. */
export const invalid = (errors: FieldError[], what = 'The document') =>
  new ProblemError(
    422,
    'Unprocessable Content',
    `${what} has ${errors.length} problem(s); see errors.`,
    {
      extensions: { errors },
    },
  );

export const validSlug = (slug: string) =>
  SLUG_PATTERN.test(slug) && slug.length <= SLUG_MAX_LENGTH;

/**
 * The `:slug` of every /api/articles/:slug route, checked once before its handler (a validator,
 * not a prologue in each): a 422 that says what a slug is.
 */
export const slugParam = validator('param', (params: Record<string, string>) => {
  const slug = params.slug ?? '';
  if (!validSlug(slug)) {
    throw invalid(
      [
        {
          field: 'slug',
          message: `"${slug.slice(0, 120)}" in the URL must be lowercase letters and digits joined by single hyphens, at most ${SLUG_MAX_LENGTH} characters`,
        },
      ],
      'The request',
    );
  }
  return { slug };
});

/** The validated slug (slugParam ran first). */
export const slugOf = (c: PublisherContext): string => c.req.param('slug') ?? '';

const notFound = (slug: string) =>
  new ProblemError(404, 'Not Found', `No article "${slug}" exists.`);

/**
 * A write's answer: the new state and whether KV already shows it (`projection.complete`).
 * 201 when the PUT created the article (RFC 9110 §9.3.4). No ETag: what is stored was parsed
 * and rendered, not saved as sent, and §9.3.4 forbids a validator then; the body's `etag` is
 * the tag a GET answers with, for the next If-Match.
 */
function answerWrite(c: PublisherContext, result: WriteResult) {
  if (!result.ok) {
    const title = { 404: 'Not Found', 409: 'Conflict', 412: 'Precondition Failed' }[result.status];
    throw new ProblemError(result.status, title, result.detail, {
      headers: result.etag ? { ETag: result.etag } : {},
    });
  }
  const published = result.hash !== undefined;
  return c.json(
    {
      slug: result.slug,
      status: result.status,
      hash: result.hash ?? null,
      // The tag GET answers with now, for the next If-Match (a draft's or schedule's too).
      etag:
        (result.current ?? result.hash) ? revisionTag(result.current ?? result.hash ?? '') : null,
      // A draft or removed article has no public URL that serves it.
      url: published ? publicUrl(c, result.slug) : null,
      version: result.version,
      projection: result.projection,
    },
    result.created ? 201 : 200,
  );
}

/**
 * Records are stored in SQLite rows (2 MB at most) and sent over RPC: refuse one whose stored
 * form nears that, rather than fail inside the Durable Object.
 */
const MAX_RECORD_CHARS = 1_800_000;
const MAX_SYNC_RECORD_CHARS = 12_000_000;
const tooBig = (record: { bodyHtml: string; bodyMarkdown: string }) =>
  record.bodyHtml.length + record.bodyMarkdown.length > MAX_RECORD_CHARS;

export async function listArticles(c: PublisherContext) {
  const { version, articles } = await c.var.site.list();
  const wanted = c.req.query('status');
  return c.json({
    version,
    articles: articles
      .filter((a) => !wanted || a.status === wanted)
      .map((a) => ({
        slug: a.slug,
        status: a.status,
        publishAt: a.publishAt,
        origin: a.origin,
        hash: a.hash,
        etag: revisionTag(a.hash),
        title: a.title,
        datePublished: a.datePublished,
        dateModified: a.dateModified,
      })),
  });
}

/** GET answers JSON unless the client prefers the Markdown source (RFC 9110 §12.5.1). */
const DOCUMENT_REPRESENTATIONS = [
  { mediaType: 'application/json' },
  { mediaType: 'text/markdown', contentType: 'text/markdown; charset=utf-8' },
] as const;

/** What GET adds to the document, about its state: a PUT may send them back; they are ignored. */
export const READ_ONLY_FIELDS = ['status', 'origin', 'hash', 'etag', 'url'] as const;

/** The record's front matter fields, as an author writes them (defaults and nulls left out). */
function frontMatterOf(record: ArticleRecord): Record<string, unknown> {
  return {
    title: record.title,
    slug: record.slug,
    description: record.description,
    datePublished: record.datePublished,
    ...(record.dateModified ? { dateModified: record.dateModified } : {}),
    ...(record.authors.length > 0 ? { authors: record.authors } : {}),
    ...(record.sources.length > 0 ? { sources: record.sources } : {}),
    ...(record.image ? { image: record.image } : {}),
    ...(record.section ? { section: record.section } : {}),
    ...(record.tags?.length ? { tags: record.tags } : {}),
    ...(record.lang ? { lang: record.lang } : {}),
    ...(record.correction ? { correction: record.correction } : {}),
    ...(record.draft ? { draft: true } : {}),
    ...(record.publishAt ? { publishAt: record.publishAt } : {}),
  };
}

/**
 * GET /api/articles/:slug: the article's current revision (its pending draft or scheduled one,
 * else the published one) as the document PUT takes: JSON (front matter fields + `body`, plus the
 * read-only state fields), or with `Accept: text/markdown` the source document itself.
 */
export async function getArticle(c: PublisherContext) {
  const slug = slugOf(c);
  const state = await c.var.site.get(slug);
  const record = state?.draft ?? state?.published;
  if (!state || !record) throw notFound(slug);
  const status = state.draft ? (state.publishAt ? 'scheduled' : 'draft') : 'published';
  const headers = { ETag: revisionTag(record.hash), Vary: 'Accept' };
  if (negotiate(c, DOCUMENT_REPRESENTATIONS)?.mediaType === 'text/markdown') {
    return c.body(serializeDocument(frontMatterOf(record), record.bodyMarkdown), 200, {
      ...headers,
      'Content-Type': 'text/markdown; charset=utf-8',
    });
  }
  return c.json(
    {
      ...frontMatterOf(record),
      body: record.bodyMarkdown,
      status,
      origin: state.origin,
      hash: record.hash,
      etag: revisionTag(record.hash),
      url: status === 'published' ? publicUrl(c, slug) : null,
    },
    200,
    headers,
  );
}

export async function listRevisions(c: PublisherContext) {
  const slug = slugOf(c);
  const revisions = await c.var.site.revisions(slug);
  if (revisions.length === 0) throw notFound(slug);
  return c.json({ slug, revisions });
}

/** Reads the request body as a document: Markdown with front matter, or JSON fields + body. */
async function buildFromRequest(c: PublisherContext): Promise<BuildResult | 'unsupported'> {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'text/markdown' && type !== 'application/json') return 'unsupported';
  const decoded = decodeUtf8(new Uint8Array(await c.req.arrayBuffer()));
  if ('error' in decoded) return { ok: false, errors: [decoded.error] };
  if (type === 'text/markdown') return buildArticleRecord(decoded.text);
  return buildFromJson(decoded.text);
}

/** The JSON form: the front matter fields plus `body`, the article text in Markdown. */
function buildFromJson(text: string): Promise<BuildResult> | BuildResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, errors: [{ field: 'body', message: 'is not valid JSON' }] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, errors: [{ field: 'body', message: 'must be a JSON object' }] };
  }
  const { body, ...document } = json as Record<string, unknown>;
  // What GET returned can come back unchanged: its state fields are not the author's to set.
  const fields = Object.fromEntries(
    Object.entries(document).filter(
      ([key]) => !(READ_ONLY_FIELDS as readonly string[]).includes(key),
    ),
  );
  if (typeof body !== 'string') {
    return {
      ok: false,
      errors: [{ field: 'body', message: 'must be the article text, in Markdown' }],
    };
  }
  return buildFromParts(fields, body);
}

export async function putArticle(c: PublisherContext) {
  const slug = slugOf(c);
  const built = await buildFromRequest(c);
  if (built === 'unsupported') {
    throw new ProblemError(
      415,
      'Unsupported Media Type',
      'Send text/markdown (front matter + body) or application/json.',
      { headers: { Accept: 'text/markdown, application/json' } },
    );
  }
  if (!built.ok) throw invalid(built.errors);
  if (built.record.slug !== slug) {
    throw invalid([
      {
        field: 'slug',
        message: `"${built.record.slug}" must equal the slug in the URL, "${slug}"`,
      },
    ]);
  }
  if (tooBig(built.record)) {
    throw new ProblemError(
      413,
      'Content Too Large',
      'The rendered article is too large to store; split it.',
    );
  }
  return answerWrite(c, await c.var.site.put(built.record, 'api', conditionsOf(c)));
}

export async function deleteArticle(c: PublisherContext) {
  return answerWrite(c, await c.var.site.remove(slugOf(c), 'api', conditionsOf(c)));
}

/** POST /api/articles/:slug/rollback[?to=<revision or hash>]: what `npm run publish -- --rollback` does. */
export async function rollbackArticle(c: PublisherContext) {
  const slug = slugOf(c);
  return answerWrite(c, await c.var.site.rollback(slug, c.req.query('to'), conditionsOf(c)));
}

interface SyncBody {
  files: { path: string; source: string }[];
  force?: boolean;
  dryRun?: boolean;
  partial?: boolean;
  keep?: string[];
}

function isSyncBody(json: unknown): json is SyncBody {
  if (typeof json !== 'object' || json === null) return false;
  const { files } = json as { files?: unknown };
  return (
    Array.isArray(files) &&
    files.every(
      (f) =>
        typeof f === 'object' &&
        f !== null &&
        typeof (f as { path?: unknown }).path === 'string' &&
        typeof (f as { source?: unknown }).source === 'string',
    )
  );
}

/**
 * POST /api/sync: the CLI's batch. Every file of `content/` in one request; builds them all
 * (nothing is written if any is invalid), then the Durable Object plans and commits the sync.
 * 409 when the files would overwrite or retract an article last changed through the API, unless
 * `force`.
 */
export async function syncFiles(c: PublisherContext) {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw invalid([{ field: 'body', message: 'is not valid JSON' }], 'The request');
  }
  if (!isSyncBody(json)) {
    throw invalid(
      [{ field: 'files', message: 'must be a list of { "path": string, "source": string }' }],
      'The request',
    );
  }
  const errors: FieldError[] = [];
  const files: FileRecord[] = [];
  const seen = new Map<string, string>();
  for (const { path, source } of json.files) {
    const built = await buildArticleRecord(source);
    if (!built.ok) {
      for (const e of built.errors)
        errors.push({ field: `${path}: ${e.field}`, message: e.message });
      continue;
    }
    const other = seen.get(built.record.slug);
    if (other) {
      errors.push({
        field: `${path}: slug`,
        message: `"${built.record.slug}" is already used by ${other}`,
      });
      continue;
    }
    if (tooBig(built.record)) {
      errors.push({ field: `${path}: document`, message: 'renders too large to store; split it' });
      continue;
    }
    seen.set(built.record.slug, path);
    files.push({ path, record: built.record });
  }
  if (errors.length > 0) throw invalid(errors, 'The content');
  // One RPC to the Durable Object carries the records: stay well inside its 32 MiB message limit.
  const size = files.reduce(
    (sum, f) => sum + f.record.bodyHtml.length + f.record.bodyMarkdown.length,
    0,
  );
  if (size > MAX_SYNC_RECORD_CHARS) {
    throw new ProblemError(
      413,
      'Content Too Large',
      `These files render to ${size} characters; send at most ${MAX_SYNC_RECORD_CHARS} per request (batches with "partial": true, then a last one with "keep": every slug sent before).`,
    );
  }
  const result = await c.var.site.sync(files, {
    force: json.force === true,
    dryRun: json.dryRun === true,
    partial: json.partial === true,
    keep: Array.isArray(json.keep)
      ? json.keep.filter((k): k is string => typeof k === 'string')
      : [],
  });
  const blocked = result.plan.conflicts.length > 0 && !result.applied && json.dryRun !== true;
  return c.json(result, blocked ? 409 : 200);
}
