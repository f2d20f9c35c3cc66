/**
 * Private preview links, by the SHA-256 of their key (the key itself is never stored): which
 * article a live link opens, at its current revision (pending, else published).
 */
import type { ArticleRecord } from '../../articles/schema';
import { currentHash } from './planning';
import type { Rows } from './rows';

export class PreviewLinks {
  readonly #sql: SqlStorage;
  readonly #rows: Rows;

  constructor(sql: SqlStorage, rows: Rows) {
    this.#sql = sql;
    this.#rows = rows;
  }

  /** The article a link opens while it is unexpired and not revoked. */
  open(
    tokenHash: string,
    now = Date.now(),
  ): { record: ArticleRecord; expiresAt: string; pending: boolean } | null {
    const link = this.#sql
      .exec<{ slug: string; expires_at: number }>(
        'SELECT slug, expires_at FROM previews WHERE token_hash = ?',
        tokenHash,
      )
      .toArray()[0];
    if (!link || typeof link.expires_at !== 'number' || link.expires_at <= now) return null;
    const row = this.#rows.article(link.slug);
    const hash = currentHash(row);
    const record = hash ? this.#rows.record(link.slug, hash) : undefined;
    if (!record) return null;
    return { record, expiresAt: new Date(link.expires_at).toISOString(), pending: !!row?.draft };
  }

  /** Stores a new link for `slug`; false when there is no article. */
  create(slug: string, tokenHash: string, expiresAt: number, now = Date.now()): boolean {
    if (!currentHash(this.#rows.article(slug))) return false;
    // Expired links are forgotten as new ones are made: the table stays as small as the live ones.
    this.#sql.exec('DELETE FROM previews WHERE expires_at <= ?', now);
    this.#sql.exec(
      'INSERT INTO previews (token_hash, slug, created_at, expires_at) VALUES (?, ?, ?, ?)',
      tokenHash,
      slug,
      now,
      expiresAt,
    );
    return true;
  }

  /** Revokes every link of `slug`; how many were live (null: no such article). */
  revoke(slug: string, now = Date.now()): number | null {
    if (!this.#rows.article(slug)) return null;
    const live = this.#sql
      .exec<{ n: number }>(
        'SELECT COUNT(*) AS n FROM previews WHERE slug = ? AND expires_at > ?',
        slug,
        now,
      )
      .one().n;
    this.#sql.exec('DELETE FROM previews WHERE slug = ?', slug);
    return live;
  }
}
