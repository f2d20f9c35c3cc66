/**
 * The inbox's memory of what it accepted, in the Durable Object's SQLite (every isolate's
 * inbox asks the one object, so a replay to another isolate is caught too): each accepted
 * signature, and each activity id, for REPLAY_WINDOW_MS. A signature is valid while its `Date`
 * (or `created`) is within an hour of now, either way: one accepted now can pass for at most two
 * more hours, and is remembered that long. A repeated signature is refused; an activity id that
 * was acted on before, under a new signature (a server retrying), is answered 202 and changes
 * nothing. An activity id is remembered once it was acted on, not when it arrived: a Follow
 * refused with 422 and sent again (Fedify retries an RFC 9421 refusal as draft-cavage) is
 * judged again.
 */
export const REPLAY_WINDOW_MS = 2 * 3_600_000;

export const REPLAYS_SCHEMA = `
CREATE TABLE IF NOT EXISTS inbox_seen (
  key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS inbox_seen_expiry ON inbox_seen (expires_at);`;

/** What the inbox has seen of a request: a replayed signature, a repeated activity, or neither. */
export type Receipt = 'new' | 'replayed-signature' | 'repeated-activity';

export class Replays {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /**
   * Records the signature (its SHA-256) of a verified request, and says whether it was seen
   * within the window, or its activity id was acted on.
   */
  receive(signatureHash: string, activityId: string | undefined, now = Date.now()): Receipt {
    this.#sql.exec('DELETE FROM inbox_seen WHERE expires_at <= ?', now);
    if (!this.#insert(`sig:${signatureHash}`, now)) return 'replayed-signature';
    if (activityId === undefined) return 'new';
    const acted = this.#sql
      .exec('SELECT 1 FROM inbox_seen WHERE key = ? AND expires_at > ?', `id:${activityId}`, now)
      .toArray().length;
    return acted > 0 ? 'repeated-activity' : 'new';
  }

  /** Remembers that the activity `id` was acted on (in the transaction that acted). */
  actedOn(id: string, now = Date.now()): void {
    this.#insert(`id:${id}`, now);
  }

  #insert(key: string, now: number): boolean {
    return (
      this.#sql
        .exec(
          'INSERT INTO inbox_seen (key, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING key',
          key,
          now + REPLAY_WINDOW_MS,
        )
        .toArray().length > 0
    );
  }
}
