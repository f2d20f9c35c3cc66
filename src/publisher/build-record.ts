/**
 * Source document → validated, rendered, hashed article record. Pure and shared: the content
 * build (Node), the publish CLI and the worker's publishing API all use this code.
 */
import * as v from 'valibot';
import { FRONT_MATTER_FIELDS, FrontMatterSchema } from '../articles/front-matter';
import { type ArticleRecord, MAX_DOCUMENT_BYTES } from '../articles/schema';
import { DocumentError, parseDocument } from './parse-document';
import { renderMarkdown } from './render-markdown';

/** One thing wrong with a document, named by field (`title`, `sources.2`, `front matter`). */
export interface FieldError {
  field: string;
  message: string;
}

export type BuildResult = { ok: true; record: ArticleRecord } | { ok: false; errors: FieldError[] };

/** @example await buildArticleRecord(markdownWithFrontMatter) // { ok: true, record: { slug, … } } */
export async function buildArticleRecord(source: string): Promise<BuildResult> {
  const bytes = new TextEncoder().encode(source).byteLength;
  if (bytes > MAX_DOCUMENT_BYTES) {
    return {
      ok: false,
      errors: [
        {
          field: 'document',
          message: `is ${bytes} bytes; at most ${MAX_DOCUMENT_BYTES} are accepted`,
        },
      ],
    };
  }
  let document: ReturnType<typeof parseDocument>;
  try {
    document = parseDocument(source);
  } catch (error) {
    if (error instanceof DocumentError) {
      return { ok: false, errors: [{ field: error.field, message: error.message }] };
    }
    // The YAML parser gives up on pathological input (e.g. thousands of nested brackets).
    return { ok: false, errors: [{ field: 'front matter', message: 'could not be parsed' }] };
  }
  return buildFromParts(document.frontMatter, document.body);
}

/**
 * The same, from fields and a Markdown body already apart (the API's JSON form:
 * `{ "title": …, "slug": …, …, "body": "Markdown" }`).
 */
export async function buildFromParts(frontMatter: unknown, body: string): Promise<BuildResult> {
  const parsed = v.safeParse(FrontMatterSchema, frontMatter);
  if (!parsed.success) {
    // valibot names the first unknown field only: name every one.
    const unknown =
      typeof frontMatter === 'object' && frontMatter !== null
        ? Object.keys(frontMatter).filter(
            (key) => !(FRONT_MATTER_FIELDS as readonly string[]).includes(key),
          )
        : [];
    const known = parsed.issues.filter(
      (issue) => issue.expected !== 'never' || issue.path?.length !== 1,
    );
    return {
      ok: false,
      errors: [
        ...known.map((issue) => ({
          field: v.getDotPath(issue) ?? 'front matter',
          message: issue.message,
        })),
        ...unknown.map((field) => ({
          field,
          message: `unknown field (allowed: ${FRONT_MATTER_FIELDS.join(', ')})`,
        })),
      ],
    };
  }
  const meta = parsed.output;
  const bodyMarkdown = body.trim();
  const nesting = deepestNesting(bodyMarkdown);
  if (nesting > MAX_NESTING) {
    return {
      ok: false,
      errors: [{ field: 'body', message: `nests ${nesting} levels deep; at most ${MAX_NESTING}` }],
    };
  }
  const errors: FieldError[] = [];
  if (meta.dateModified && Date.parse(meta.dateModified) < Date.parse(meta.datePublished)) {
    errors.push({ field: 'dateModified', message: 'must not be earlier than datePublished' });
  }
  if (meta.correction && !meta.dateModified) {
    errors.push({
      field: 'correction',
      message: 'needs dateModified (the date of the correction)',
    });
  }
  if (bodyMarkdown === '') errors.push({ field: 'body', message: 'must not be empty' });
  if (errors.length > 0) return { ok: false, errors };

  const content = {
    slug: meta.slug,
    title: meta.title,
    description: meta.description,
    authors: meta.authors,
    datePublished: meta.datePublished,
    dateModified: meta.dateModified ?? null,
    sources: meta.sources,
    image: meta.image ?? null,
    // Only when set: a record without them keeps the hash it had before they existed.
    ...(meta.section ? { section: meta.section } : {}),
    ...(meta.tags.length > 0 ? { tags: meta.tags } : {}),
    ...(meta.lang ? { lang: meta.lang } : {}),
    ...(meta.correction ? { correction: meta.correction } : {}),
    draft: meta.draft,
    ...(meta.publishAt ? { publishAt: meta.publishAt } : {}),
    wordCount: countWords(bodyMarkdown),
    bodyMarkdown,
    bodyHtml: '',
  };
  try {
    content.bodyHtml = renderMarkdown(bodyMarkdown);
  } catch {
    return { ok: false, errors: [{ field: 'body', message: 'could not be rendered as Markdown' }] };
  }
  return { ok: true, record: { ...content, hash: await contentHash(content) } };
}

/** Deeper quotes or lists than any article needs make the renderer slow or throw: refused. */
const MAX_NESTING = 16;

/** The deepest run of block quote or list markers at the start of any line. */
function deepestNesting(markdown: string): number {
  let deepest = 0;
  for (const line of markdown.split('\n')) {
    const lead = /^[\s>*+-]*/.exec(line)?.[0] ?? '';
    const markers =
      lead.replace(/\s+/g, '').length + Math.floor(lead.replace(/[^ ]/g, '').length / 4);
    if (markers > deepest) deepest = markers;
  }
  return deepest;
}

/** Words a reader sees: runs of non-space characters holding at least one letter or digit. */
export function countWords(markdown: string): number {
  return markdown.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** First 128 bits of SHA-256 over the record's JSON, as hex. Web Crypto: same in Node and workerd. */
export async function contentHash(content: object): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(content));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest.subarray(0, 16), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Decodes a document's bytes, refusing invalid UTF-8 rather than silently replacing it (a
 * publisher's words must arrive as written).
 * @returns the text, or a field error naming the first bad byte.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { error: FieldError } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    let valid = 0;
    // Find where decoding breaks, for the message: the longest prefix that decodes.
    for (let end = bytes.byteLength; end > 0; end = Math.floor(end / 2)) {
      try {
        new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes.subarray(0, end));
        valid = end;
        break;
      } catch {
        // keep halving
      }
    }
    return { error: { field: 'encoding', message: `is not valid UTF-8 (after byte ${valid})` } };
  }
}
