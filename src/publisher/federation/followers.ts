/**
 * The actor's followers, in the Durable Object's SQLite: who they are, and where to deliver
 * (their server's shared inbox when it offers one: one delivery per server, not per follower).
 */
export const FOLLOWERS_SCHEMA = `
CREATE TABLE IF NOT EXISTS followers (
  actor TEXT PRIMARY KEY,
  inbox TEXT NOT NULL,
  shared_inbox TEXT,
  followed_at INTEGER NOT NULL
);`;

export interface Follower {
  actor: string;
  inbox: string;
  sharedInbox?: string;
}

export class Followers {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Adds (or updates) a follower; true when it is new. */
  add({ actor, inbox, sharedInbox }: Follower, now = Date.now()): boolean {
    const known =
      this.#sql.exec('SELECT 1 FROM followers WHERE actor = ?', actor).toArray().length > 0;
    this.#sql.exec(
      `INSERT INTO followers (actor, inbox, shared_inbox, followed_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (actor) DO UPDATE SET inbox = ?2, shared_inbox = ?3`,
      actor,
      inbox,
      sharedInbox ?? null,
      now,
    );
    return !known;
  }

  /** Removes a follower; true when it was one. */
  remove(actor: string): boolean {
    return (
      this.#sql.exec('DELETE FROM followers WHERE actor = ? RETURNING actor', actor).toArray()
        .length > 0
    );
  }

  /** Removes everyone delivered to at `inbox` (its server answered 410 Gone). */
  removeAt(inbox: string): number {
    return this.#sql
      .exec('DELETE FROM followers WHERE inbox = ?1 OR shared_inbox = ?1 RETURNING actor', inbox)
      .toArray().length;
  }

  /** Whether a follower takes deliveries at `inbox` on its own actor's server. */
  ownsInbox(inbox: string): boolean {
    const origin = URL.parse(inbox)?.origin;
    return this.#sql
      .exec<{ actor: string }>(
        'SELECT actor FROM followers WHERE inbox = ?1 OR shared_inbox = ?1',
        inbox,
      )
      .toArray()
      .some((row) => URL.parse(row.actor)?.origin === origin);
  }

  has(actor: string): boolean {
    return this.#sql.exec('SELECT 1 FROM followers WHERE actor = ?', actor).toArray().length > 0;
  }

  count(): number {
    return this.#sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM followers').one().n;
  }

  /** The next `limit` delivery targets after `after` (in order), each server once. */
  inboxesAfter(after: string | null, limit: number): string[] {
    return this.#sql
      .exec<{ inbox: string }>(
        `SELECT DISTINCT COALESCE(shared_inbox, inbox) AS inbox FROM followers
         WHERE COALESCE(shared_inbox, inbox) > ? ORDER BY inbox LIMIT ?`,
        after ?? '',
        limit,
      )
      .toArray()
      .map((row) => row.inbox);
  }

  /** Where one activity goes: each follower's server once (shared inbox, else own inbox). */
  inboxes(): string[] {
    return this.#sql
      .exec<{ inbox: string }>(
        'SELECT DISTINCT COALESCE(shared_inbox, inbox) AS inbox FROM followers ORDER BY inbox',
      )
      .toArray()
      .map((row) => row.inbox);
  }
}
