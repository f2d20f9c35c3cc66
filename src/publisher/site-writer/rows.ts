/**
 * Reads and writes of the article tables (articles, revisions, schedule), every value read back
 * validated with the schemas the reader uses for KV (src/articles/schema.ts): a row that does not
 * match is reported (logged with its key) and treated as absent, never cast and used. Records
 * are immutable by hash, so a validated one is remembered (a listing reads every article).
 */
import * as v from 'valibot';
import { type ArticleRecord, ArticleRecordSchema } from '../../articles/schema';
import type { Origin, Revision } from '../api-types';
import { validRows } from '../stored-rows';

/** Revisions kept per article for rollback and listing (older ones are forgotten). */
export const REVISIONS_KEPT = 20;

const OriginSchema = v.picklist(['file', 'api']);

const ArticleRowSchema = v.object({
  slug: v.string(),
  origin: OriginSchema,
  path: v.nullable(v.string()),
  published: v.nullable(v.string()),
  draft: v.nullable(v.string()),
  changed_at: v.number(),
  /** Who created it (a person's id; null: PUBLISH_TOKEN, a file, or before people existed). */
  owner: v.optional(v.nullable(v.string()), null),
  /** 1 while its draft is submitted for review. */
  review: v.optional(v.number(), 0),
});
export type ArticleRow = v.InferOutput<typeof ArticleRowSchema>;

const RevisionRowSchema = v.object({
  number: v.number(),
  hash: v.string(),
  origin: OriginSchema,
  created_at: v.number(),
  author_id: v.nullable(v.string()),
  author_via: v.nullable(v.string()),
  author_name: v.nullable(v.string()),
});

const ScheduleRowSchema = v.object({ slug: v.string(), hash: v.string(), publish_at: v.number() });
export type ScheduleRow = v.InferOutput<typeof ScheduleRowSchema>;

/** A kept revision with its record, oldest first (what rollback chooses among). */
export interface KeptRevision {
  /** The article's own revision number: 1, 2, 3… */
  number: number;
  hash: string;
  record: ArticleRecord;
}

const RECORDS_REMEMBERED = 2_000;

export class Rows {
  readonly #sql: SqlStorage;
  readonly #records = new Map<string, ArticleRecord>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  article(slug: string): ArticleRow | undefined {
    const rows = this.#sql.exec('SELECT * FROM articles WHERE slug = ?', slug).toArray();
    return validRows(ArticleRowSchema, rows, `articles (${slug})`)[0];
  }

  articles(where: 'all' | 'published' = 'all'): ArticleRow[] {
    const rows = this.#sql
      .exec(
        where === 'published'
          ? 'SELECT * FROM articles WHERE published IS NOT NULL ORDER BY slug'
          : 'SELECT * FROM articles ORDER BY slug',
      )
      .toArray();
    return validRows(ArticleRowSchema, rows, 'articles');
  }

  /** The record of `slug`'s revision `hash` (the newest row with that hash), validated. */
  record(slug: string, hash: string): ArticleRecord | undefined {
    const key = `${slug}\n${hash}`;
    const remembered = this.#records.get(key);
    if (remembered) return remembered;
    const row = this.#sql
      .exec<{ record: string }>(
        'SELECT record FROM revisions WHERE slug = ? AND hash = ? ORDER BY seq DESC LIMIT 1',
        slug,
        hash,
      )
      .toArray()[0];
    if (!row) return undefined;
    const record = parseRecord(row.record, `revisions (${slug} ${hash})`);
    if (!record) return undefined;
    if (this.#records.size >= RECORDS_REMEMBERED) this.#records.clear();
    this.#records.set(key, record);
    return record;
  }

  /** Who wrote each article's newest revision: a person's name, or the credential (by slug). */
  lastWriters(): Map<string, string> {
    const rows = this.#sql
      .exec<{ slug: string; name: string | null; via: string | null }>(
        `SELECT r.slug, people.name AS name, r.author_via AS via
           FROM revisions r LEFT JOIN people ON people.id = r.author_id
          WHERE r.seq = (SELECT MAX(seq) FROM revisions WHERE slug = r.slug)`,
      )
      .toArray();
    return new Map(
      rows.flatMap((r) => ((r.name ?? r.via) ? [[r.slug, r.name ?? r.via ?? '']] : [])),
    );
  }

  /** `slug`'s revisions, newest first, without their records. */
  revisions(slug: string): Revision[] {
    const rows = this.#sql
      .exec(
        `SELECT r.number, r.hash, r.origin, r.created_at, r.author_id, r.author_via,
                people.name AS author_name
           FROM revisions r LEFT JOIN people ON people.id = r.author_id
          WHERE r.slug = ? ORDER BY r.seq DESC`,
        slug,
      )
      .toArray();
    return validRows(RevisionRowSchema, rows, `revisions (${slug})`).map((r) => ({
      revision: r.number,
      hash: r.hash,
      origin: r.origin,
      createdAt: new Date(r.created_at).toISOString(),
      // Who wrote it: a person (by name, kept when deactivated), or the credential that did.
      author: r.author_id ? { id: r.author_id, name: r.author_name ?? r.author_id } : null,
      via: r.author_via,
    }));
  }

  /** `slug`'s kept revisions with their records, oldest first. */
  keptRevisions(slug: string): KeptRevision[] {
    return this.#sql
      .exec<{ number: number; hash: string; record: string }>(
        'SELECT number, hash, record FROM revisions WHERE slug = ? ORDER BY seq ASC',
        slug,
      )
      .toArray()
      .flatMap((row) => {
        const record = parseRecord(row.record, `revisions (${slug} #${row.number})`);
        return record ? [{ number: row.number, hash: row.hash, record }] : [];
      });
  }

  /** The document `slug`'s revision `hash` was made from, when it came as one (Markdown). */
  source(slug: string, hash: string): string | undefined {
    const row = this.#sql
      .exec<{ source: string | null }>(
        'SELECT source FROM revisions WHERE slug = ? AND hash = ? ORDER BY seq DESC LIMIT 1',
        slug,
        hash,
      )
      .toArray()[0];
    return typeof row?.source === 'string' ? row.source : undefined;
  }

  /**
   * Stores a revision (numbered after the article's last, with the document it was made from)
   * unless it is already the newest one; keeps REVISIONS_KEPT.
   */
  keepRevision(record: ArticleRecord, origin: Origin, now = Date.now(), source?: string): void {
    const newest = this.#sql
      .exec<{ hash: string }>(
        'SELECT hash FROM revisions WHERE slug = ? ORDER BY seq DESC LIMIT 1',
        record.slug,
      )
      .toArray()[0];
    if (newest?.hash === record.hash) return;
    this.#sql.exec(
      `INSERT INTO revisions (slug, hash, origin, created_at, record, source, number)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6,
         (SELECT COALESCE(MAX(number), 0) + 1 FROM revisions WHERE slug = ?1))`,
      record.slug,
      record.hash,
      origin,
      now,
      JSON.stringify(record),
      source ?? null,
    );
    this.#sql.exec(
      `DELETE FROM revisions WHERE slug = ?1 AND seq NOT IN (
         SELECT seq FROM revisions WHERE slug = ?1 ORDER BY seq DESC LIMIT ?2)`,
      record.slug,
      REVISIONS_KEPT,
    );
  }

  /** The article's row after a write: which revision is published, which is pending. */
  setArticle(
    fields: { slug: string; origin: Origin; path: string | null; now: number },
    revisions: { published?: string | null; draft: string | null },
  ): void {
    const { slug, origin, path, now } = fields;
    const { draft } = revisions;
    if (revisions.published === undefined) {
      // The published revision stays as it is (a scheduled update).
      this.#sql.exec(
        `INSERT INTO articles (slug, origin, path, published, draft, changed_at) VALUES (?1, ?2, ?3, NULL, ?4, ?5)
         ON CONFLICT (slug) DO UPDATE SET origin = ?2, path = ?3, draft = ?4, changed_at = ?5`,
        slug,
        origin,
        path,
        draft,
        now,
      );
      return;
    }
    this.#sql.exec(
      `INSERT INTO articles (slug, origin, path, published, draft, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (slug) DO UPDATE SET origin = ?2, path = ?3, published = ?4, draft = ?5, changed_at = ?6`,
      slug,
      origin,
      path,
      revisions.published,
      draft,
      now,
    );
  }

  /** Clears the published revision (retracted) or the pending one (discarded). */
  clear(slug: string, which: 'published' | 'draft', origin: Origin, now = Date.now()): void {
    this.#sql.exec(
      `UPDATE articles SET ${which} = NULL, origin = ?, changed_at = ? WHERE slug = ?`,
      origin,
      now,
      slug,
    );
  }

  scheduleOf(slug: string): ScheduleRow | undefined {
    const rows = this.#sql
      .exec('SELECT slug, hash, publish_at FROM schedule WHERE slug = ?', slug)
      .toArray();
    return validRows(ScheduleRowSchema, rows, `schedule (${slug})`)[0];
  }

  /** Scheduled revisions, soonest first; only those due by `until` when it is given. */
  scheduled(until?: number): ScheduleRow[] {
    const rows = (
      until === undefined
        ? this.#sql.exec('SELECT slug, hash, publish_at FROM schedule ORDER BY publish_at, slug')
        : this.#sql.exec(
            'SELECT slug, hash, publish_at FROM schedule WHERE publish_at <= ? ORDER BY publish_at',
            until,
          )
    ).toArray();
    return validRows(ScheduleRowSchema, rows, 'schedule');
  }

  nextScheduled(): number | undefined {
    return (
      this.#sql.exec<{ at: number | null }>('SELECT MIN(publish_at) AS at FROM schedule').one()
        .at ?? undefined
    );
  }

  schedule(slug: string, hash: string, at: number): void {
    this.#sql.exec('DELETE FROM schedule WHERE slug = ?', slug);
    this.#sql.exec(
      'INSERT INTO schedule (slug, hash, publish_at) VALUES (?, ?, ?)',
      slug,
      hash,
      at,
    );
  }

  unschedule(slug: string, hash?: string): void {
    if (hash === undefined) this.#sql.exec('DELETE FROM schedule WHERE slug = ?', slug);
    else this.#sql.exec('DELETE FROM schedule WHERE slug = ? AND hash = ?', slug, hash);
  }
}

function parseRecord(text: string, where: string): ArticleRecord | undefined {
  return parseStored(ArticleRecordSchema, text, where);
}

/** Stored JSON text that matches `schema`, or undefined: what does not is logged with `where`. */
export function parseStored<T extends v.GenericSchema>(
  schema: T,
  text: string,
  where: string,
): v.InferOutput<T> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    console.error(`storage: ${where} is not JSON`);
    return undefined;
  }
  const parsed = v.safeParse(schema, json);
  if (parsed.success) return parsed.output;
  console.error(`storage: ${where} does not match its schema: ${v.summarize(parsed.issues)}`);
  return undefined;
}
