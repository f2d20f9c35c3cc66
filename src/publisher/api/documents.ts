/**
 * The article as the API takes and gives it: Markdown with front matter, or JSON (the front
 * matter fields plus `body`), built with the same parser, schema and renderer as
 * `npm run content:build`; and its front matter as an author writes it.
 */
import type { ArticleRecord } from '../../articles/schema';
import { type BuildResult, buildArticleRecord, buildFromParts, decodeUtf8 } from '../build-record';
import type { PublisherContext } from '../context';

/**
 * Records are stored in SQLite rows (2 MB at most) and sent over RPC: refuse one whose stored
 * form nears that, rather than fail inside the Durable Object.
 */
export const MAX_RECORD_CHARS = 1_800_000;
export const MAX_SYNC_RECORD_CHARS = 12_000_000;
export const tooBig = (record: { bodyHtml: string; bodyMarkdown: string }) =>
  record.bodyHtml.length + record.bodyMarkdown.length > MAX_RECORD_CHARS;

/** GET answers JSON unless the client prefers the Markdown source (RFC 9110 §12.5.1). */
export const DOCUMENT_REPRESENTATIONS = [
  { mediaType: 'application/json' },
  { mediaType: 'text/markdown', contentType: 'text/markdown; charset=utf-8' },
] as const;

/** What GET adds to the document, about its state: a PUT may send them back; they are ignored. */
export const READ_ONLY_FIELDS = ['status', 'origin', 'owner', 'hash', 'etag', 'url'] as const;

/** The record's front matter fields, as an author writes them (defaults and nulls left out). */
export function frontMatterOf(record: ArticleRecord): Record<string, unknown> {
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

/** Reads the request body as a document: Markdown with front matter, or JSON fields + body. */
export async function buildFromRequest(
  c: PublisherContext,
): Promise<(BuildResult & { source?: string }) | 'unsupported'> {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'text/markdown' && type !== 'application/json') return 'unsupported';
  const decoded = decodeUtf8(new Uint8Array(await c.req.arrayBuffer()));
  if ('error' in decoded) return { ok: false, errors: [decoded.error] };
  if (type === 'text/markdown') {
    return { ...(await buildArticleRecord(decoded.text)), source: decoded.text };
  }
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
