/**
 * The published index as immutable chunks counted from the oldest article, so that a publish
 * rewrites what it changes and not what the site holds: a new article lands in the newest chunk,
 * an edit rewrites the one chunk that lists it, and no other chunk's bytes (or hash, or KV key)
 * move. The head names the chunks, newest first; the reader concatenates them (store.ts), which
 * gives every article newest first, exactly as a single list would.
 *
 * Order: newest `datePublished` first, equal dates by slug (the order the reader has always
 * shown). A chunk holds at most CHUNK_MAX summaries; the newest chunk is sealed when full (its
 * overflow starts a new one), an older chunk that overflows (a back-dated article) splits in two.
 * Chunks live in the Durable Object's SQLite storage; their KV copies are written by the outbox.
 */
import { indexKey, indexPageKey, type KvEntry } from '../../articles/keys';
import { type ArticleSummary, CHUNK_MAX, type IndexHead } from '../../articles/schema';
import { contentHash } from '../build-record';

export type { KvEntry };

export const INDEX_SCHEMA = `
CREATE TABLE IF NOT EXISTS summaries (
  slug TEXT PRIMARY KEY,
  ms INTEGER NOT NULL,
  chunk INTEGER NOT NULL,
  summary TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS summaries_order ON summaries (ms, slug);
CREATE INDEX IF NOT EXISTS summaries_chunk ON summaries (chunk);
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY,
  hash TEXT,
  top_ms INTEGER,
  top_slug TEXT,
  count INTEGER NOT NULL DEFAULT 0
);`;

/** What rebuilding the dirty chunks produced: new chunk keys, and the keys they replace. */
export interface IndexChanges {
  head: KvEntry;
  version: string;
  /** New chunk values (written before the head). */
  chunks: KvEntry[];
  /** Chunk keys no longer named by the head (collected after the grace period). */
  superseded: string[];
}

const orderMs = (summary: ArticleSummary) => Date.parse(summary.datePublished);

export class IndexChunks {
  readonly #sql: SqlStorage;
  readonly #dirty = new Set<number>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Lists `summary` (adds it, or replaces its slug's previous summary). */
  upsert(summary: ArticleSummary): void {
    const ms = orderMs(summary);
    const before = this.#sql
      .exec<{ ms: number; chunk: number }>(
        'SELECT ms, chunk FROM summaries WHERE slug = ?',
        summary.slug,
      )
      .toArray()[0];
    if (before && before.ms === ms) {
      // Same place in the order: the chunk keeps its members, one of them changes.
      this.#sql.exec(
        'UPDATE summaries SET summary = ? WHERE slug = ?',
        JSON.stringify(summary),
        summary.slug,
      );
      this.#dirty.add(before.chunk);
      return;
    }
    if (before) this.remove(summary.slug);
    this.#insert(summary, ms);
  }

  /** Unlists `slug`; false when it was not listed. */
  remove(slug: string): boolean {
    const row = this.#sql
      .exec<{ chunk: number }>('SELECT chunk FROM summaries WHERE slug = ?', slug)
      .toArray()[0];
    if (!row) return false;
    this.#sql.exec('DELETE FROM summaries WHERE slug = ?', slug);
    this.#sql.exec('UPDATE chunks SET count = count - 1 WHERE id = ?', row.chunk);
    this.#dirty.add(row.chunk);
    return true;
  }

  #insert(summary: ArticleSummary, ms: number): void {
    // The chunk of the next older article (or, for a new oldest article, of the next newer one).
    const older = this.#sql
      .exec<{ chunk: number }>(
        'SELECT chunk FROM summaries WHERE ms < ?1 OR (ms = ?1 AND slug > ?2) ORDER BY ms DESC, slug ASC LIMIT 1',
        ms,
        summary.slug,
      )
      .toArray()[0];
    const newer = older
      ? undefined
      : this.#sql
          .exec<{ chunk: number }>(
            'SELECT chunk FROM summaries WHERE ms > ?1 OR (ms = ?1 AND slug < ?2) ORDER BY ms ASC, slug DESC LIMIT 1',
            ms,
            summary.slug,
          )
          .toArray()[0];
    const chunk = older?.chunk ?? newer?.chunk ?? this.#newChunk();
    this.#sql.exec(
      'INSERT INTO summaries (slug, ms, chunk, summary) VALUES (?, ?, ?, ?)',
      summary.slug,
      ms,
      chunk,
      JSON.stringify(summary),
    );
    const { count } = this.#sql
      .exec<{ count: number }>(
        'UPDATE chunks SET count = count + 1 WHERE id = ? RETURNING count',
        chunk,
      )
      .one();
    this.#dirty.add(chunk);
    if (count > CHUNK_MAX) this.#split(chunk, count);
  }

  #newChunk(): number {
    return this.#sql
      .exec<{ id: number }>('INSERT INTO chunks (count) VALUES (0) RETURNING id')
      .one().id;
  }

  /**
   * An overflowing chunk: the newest chunk keeps CHUNK_MAX and passes its newest members on (so
   * chunks fill up as a site grows); an older one gives its newer half to a new chunk.
   */
  #split(chunk: number, count: number): void {
    const newest = this.#sql
      .exec<{ chunk: number }>('SELECT chunk FROM summaries ORDER BY ms DESC, slug ASC LIMIT 1')
      .one().chunk;
    const moving = newest === chunk ? count - CHUNK_MAX : Math.floor(count / 2);
    const target = this.#newChunk();
    this.#sql.exec(
      `UPDATE summaries SET chunk = ?1 WHERE slug IN (
         SELECT slug FROM summaries WHERE chunk = ?2 ORDER BY ms DESC, slug ASC LIMIT ?3)`,
      target,
      chunk,
      moving,
    );
    this.#sql.exec('UPDATE chunks SET count = count - ?1 WHERE id = ?2', moving, chunk);
    this.#sql.exec('UPDATE chunks SET count = ?1 WHERE id = ?2', moving, target);
    this.#dirty.add(target);
  }

  /**
   * Rebuilds the chunks changed since the last call and the head over all chunks. The head is
   * a list of chunk hashes (one per CHUNK_MAX articles), the only part that grows with the site.
   */
  async rebuild(): Promise<IndexChanges> {
    const chunks: KvEntry[] = [];
    const superseded: string[] = [];
    for (const id of this.#dirty) {
      const before = this.#sql
        .exec<{ hash: string | null }>('SELECT hash FROM chunks WHERE id = ?', id)
        .toArray()[0];
      const articles = this.#sql
        .exec<{ summary: string }>(
          'SELECT summary FROM summaries WHERE chunk = ? ORDER BY ms DESC, slug ASC',
          id,
        )
        .toArray()
        .map((row) => JSON.parse(row.summary) as ArticleSummary);
      if (before?.hash) superseded.push(indexPageKey(before.hash));
      const top = articles[0];
      if (!top) {
        this.#sql.exec('DELETE FROM chunks WHERE id = ?', id);
        continue;
      }
      const page = { articles };
      const hash = await contentHash(page);
      // Back to what it held (an overflow moved out again): nothing to write, nothing superseded.
      if (hash === before?.hash) {
        superseded.pop();
        continue;
      }
      const value = JSON.stringify(page);
      this.#sql.exec(
        'UPDATE chunks SET hash = ?, top_ms = ?, top_slug = ? WHERE id = ?',
        hash,
        orderMs(top),
        top.slug,
        id,
      );
      chunks.push({ key: indexPageKey(hash), value });
    }
    this.#dirty.clear();
    const rows = this.#sql
      .exec<{ hash: string; count: number }>(
        'SELECT hash, count FROM chunks WHERE hash IS NOT NULL ORDER BY top_ms DESC, top_slug ASC',
      )
      .toArray();
    const pages = rows.map((row) => row.hash);
    const total = rows.reduce((sum, row) => sum + row.count, 0);
    const hash = await contentHash({ total, pages });
    const head: IndexHead = { hash, total, pages };
    const kept = new Set(pages.map(indexPageKey));
    return {
      head: { key: indexKey(hash), value: JSON.stringify(head) },
      version: hash,
      chunks: chunks.filter((entry) => kept.has(entry.key)),
      superseded: superseded.filter((key) => !kept.has(key)),
    };
  }
}
