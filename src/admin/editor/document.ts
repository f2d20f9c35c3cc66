/**
 * What the editor edits: the article document as the API answers it (validated; fields the form
 * has no control for are kept), the form's fields, and the conversions between the form and the
 * document (a new article's address, schedule times).
 */
import * as v from 'valibot';

// Loose: fields the form has no control for (image, sources…) are kept and sent back on save.
export const Doc = v.looseObject({
  title: v.string(),
  slug: v.string(),
  description: v.string(),
  datePublished: v.string(),
  dateModified: v.optional(v.string()),
  authors: v.optional(v.array(v.string())),
  section: v.optional(v.string()),
  tags: v.optional(v.array(v.string())),
  lang: v.optional(v.string()),
  correction: v.optional(v.string()),
  publishAt: v.optional(v.string()),
  draft: v.optional(v.boolean()),
  body: v.string(),
  status: v.string(),
  etag: v.string(),
  owner: v.optional(v.nullable(v.string())),
});
export type Doc = v.InferOutput<typeof Doc>;
export const Written = v.object({
  slug: v.string(),
  status: v.string(),
  etag: v.nullable(v.string()),
  url: v.nullable(v.string()),
});
export const Revisions = v.object({
  revisions: v.array(
    v.object({
      revision: v.number(),
      createdAt: v.string(),
      author: v.nullable(v.object({ name: v.string() })),
      via: v.nullable(v.string()),
    }),
  ),
});

export interface Me {
  id: string;
  role: 'contributor' | 'author' | 'editor' | 'admin';
  author: string | null;
}

/** The form's fields: [name in the document, label, kind]. */
export const FIELDS = [
  ['title', 'Title', 'text'],
  ['description', 'Standfirst', 'textarea'],
  ['section', 'Section', 'text'],
  ['tags', 'Tags', 'list'],
  ['authors', 'Authors', 'list'],
  ['lang', 'Language', 'text'],
  ['correction', 'Correction', 'textarea'],
  ['publishAt', 'Schedule', 'datetime-local'],
] as const;
export type Field = (typeof FIELDS)[number][0];

const slugify = (title: string) =>
  title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

/** `2026-12-08T10:00` in the editor's zone ↔ an RFC 3339 instant. */
export const toLocal = (iso: string | undefined) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
export const fromLocal = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** A new article's address from its title (`new` is the editor's own, so never an article's). */
export function articleSlug(title: string): string {
  const slug = slugify(title);
  if (!slug) return `article-${Date.now().toString(36)}`;
  return slug === 'new' ? 'new-article' : slug;
}

/** The fields of a document the local copy compares against. */
export function pick(doc: Doc | null): Record<string, unknown> {
  if (!doc) return {};
  const { title, description, section, tags, authors, lang, correction, publishAt, body } = doc;
  return { title, description, section, tags, authors, lang, correction, publishAt, body };
}
