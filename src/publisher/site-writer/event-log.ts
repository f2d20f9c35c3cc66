/**
 * The writer's events: one row per event, recorded in the write's own transaction, with what
 * each consumer needs stored once (the webhook's data, the ActivityPub activity). Consumers
 * (webhooks, ActivityPub) follow the log with a cursor each, after the commit, in bounded
 * batches: a publish writes O(1) rows whatever the number of followers, and its fan-out never
 * holds the writer. An event is forgotten once every consumer is past it and no delivery still
 * references it.
 */
import * as v from 'valibot';

export const EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  data TEXT NOT NULL,
  activity TEXT
);
CREATE TABLE IF NOT EXISTS event_cursors (
  consumer TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  after TEXT
);
ALTER TABLE ap_deliveries ADD COLUMN event_seq INTEGER;
CREATE INDEX IF NOT EXISTS ap_deliveries_event ON ap_deliveries (event_seq);`;

export type EventType =
  | 'article.published'
  | 'article.updated'
  | 'article.unpublished'
  | 'article.scheduled';

const EventRow = v.object({
  seq: v.number(),
  id: v.string(),
  type: v.picklist([
    'article.published',
    'article.updated',
    'article.unpublished',
    'article.scheduled',
  ]),
  created_at: v.number(),
  data: v.string(),
  activity: v.nullable(v.string()),
});
export type StoredEvent = v.InferOutput<typeof EventRow>;

/** Where a consumer is: past every event up to `seq`; inside event `seq + 1`, past `after`. */
export interface Cursor {
  seq: number;
  after: string | null;
}

export const CONSUMERS = ['webhooks', 'activitypub'] as const;
export type Consumer = (typeof CONSUMERS)[number];

export class EventLog {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Records one event; call inside the write's transaction. */
  record(type: EventType, data: object, activity: object | undefined, now = Date.now()): void {
    this.#sql.exec(
      'INSERT INTO events (id, type, created_at, data, activity) VALUES (?, ?, ?, ?, ?)',
      `evt_${crypto.randomUUID()}`,
      type,
      now,
      JSON.stringify(data),
      activity ? JSON.stringify(activity) : null,
    );
  }

  cursor(consumer: Consumer): Cursor {
    const row = this.#sql
      .exec<{ seq: number; after: string | null }>(
        'SELECT seq, after FROM event_cursors WHERE consumer = ?',
        consumer,
      )
      .toArray()[0];
    return row ? { seq: row.seq, after: row.after } : { seq: 0, after: null };
  }

  advance(consumer: Consumer, cursor: Cursor): void {
    this.#sql.exec(
      `INSERT INTO event_cursors (consumer, seq, after) VALUES (?1, ?2, ?3)
       ON CONFLICT (consumer) DO UPDATE SET seq = ?2, after = ?3`,
      consumer,
      cursor.seq,
      cursor.after,
    );
  }

  /** The events after `seq`, oldest first, at most `limit` (a bad row is logged and skipped). */
  after(seq: number, limit: number): StoredEvent[] {
    return this.#sql
      .exec('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?', seq, limit)
      .toArray()
      .flatMap((row) => {
        const parsed = v.safeParse(EventRow, row);
        if (parsed.success) return [parsed.output];
        console.error(`storage: event ${String(row.seq)} does not match its schema`);
        return [];
      });
  }

  /** Whether some consumer has events still to follow. */
  pending(): boolean {
    const newest = this.#sql.exec<{ n: number | null }>('SELECT MAX(seq) AS n FROM events').one().n;
    if (newest === null) return false;
    return CONSUMERS.some((consumer) => this.cursor(consumer).seq < newest);
  }

  /** Forgets events every consumer is past and no delivery references. */
  collect(): void {
    const oldest = Math.min(...CONSUMERS.map((consumer) => this.cursor(consumer).seq));
    this.#sql.exec(
      `DELETE FROM events WHERE seq <= ? AND seq NOT IN
         (SELECT event_seq FROM ap_deliveries WHERE event_seq IS NOT NULL)`,
      oldest,
    );
  }
}
