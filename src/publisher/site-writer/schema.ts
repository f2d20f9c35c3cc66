/**
 * The Durable Object's tables, as versioned migrations: each runs once, in order, in a
 * transaction, and the highest applied version is recorded in `schema_migrations`. Migration 1
 * is the schema as it stood before versions were kept (every statement `IF NOT EXISTS`, so an
 * object that already has those tables records version 1 and changes nothing); each later
 * change is a new migration appended here, never an edit of an earlier one.
 */

import { DELIVERIES_SCHEMA } from '../federation/deliveries';
import { FOLLOWERS_SCHEMA } from '../federation/followers';
import { REPLAYS_SCHEMA } from '../federation/replays';
import { PEOPLE_SCHEMA } from '../people/schema';
import { WEBHOOK_SCHEMA } from '../webhooks';
import { AUTH_FAILURES_SCHEMA } from './auth-failures';
import { EVENTS_SCHEMA } from './event-log';
import { INDEX_SCHEMA } from './index-chunks';

const ARTICLES_SCHEMA = `
CREATE TABLE IF NOT EXISTS articles (
  slug TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  path TEXT,
  published TEXT,
  draft TEXT,
  changed_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS revisions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  slug TEXT NOT NULL,
  hash TEXT NOT NULL,
  origin TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS revisions_slug ON revisions (slug, seq);
CREATE TABLE IF NOT EXISTS schedule (
  slug TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  publish_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS schedule_at ON schedule (publish_at);
CREATE TABLE IF NOT EXISTS previews (
  token_hash TEXT PRIMARY KEY,
  slug TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS previews_slug ON previews (slug);`;

/** Every migration, oldest first: `version` counts from 1 without gaps. */
export const MIGRATIONS: readonly { version: number; what: string; sql: string }[] = [
  {
    version: 1,
    what: 'articles, revisions, schedule, previews, webhooks, followers, deliveries, index, auth',
    sql: [
      ARTICLES_SCHEMA,
      WEBHOOK_SCHEMA,
      FOLLOWERS_SCHEMA,
      DELIVERIES_SCHEMA,
      INDEX_SCHEMA,
      AUTH_FAILURES_SCHEMA,
    ].join('\n'),
  },
  { version: 2, what: "the inbox's accepted signatures and activities", sql: REPLAYS_SCHEMA },
  {
    version: 3,
    what: 'the event log and its consumers; ActivityPub deliveries by reference',
    sql: EVENTS_SCHEMA,
  },
  {
    version: 4,
    what: 'revisions numbered per article (1, 2, 3…), and the document each was made from',
    sql: `
ALTER TABLE revisions ADD COLUMN number INTEGER;
UPDATE revisions SET number = (
  SELECT COUNT(*) FROM revisions r2 WHERE r2.slug = revisions.slug AND r2.seq <= revisions.seq);
ALTER TABLE revisions ADD COLUMN source TEXT;`,
  },
  {
    version: 5,
    what: 'people, their tokens, sessions, passkeys and invitations; the audit trail; owners',
    sql: PEOPLE_SCHEMA,
  },
];

/** Applies the migrations `storage` has not seen; returns the schema's version. */
export function migrate(storage: DurableObjectStorage, now = Date.now()): number {
  const sql = storage.sql;
  sql.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  const current =
    sql.exec<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations').one().v ?? 0;
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    storage.transactionSync(() => {
      sql.exec(migration.sql);
      sql.exec(
        'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)',
        migration.version,
        now,
      );
    });
  }
  return MIGRATIONS.at(-1)?.version ?? 0;
}
