/**
 * The Durable Object's schema migrations (src/publisher/site-writer/schema.ts): a new object gets
 * every version; an object from before versions were kept (its tables, no record of a version)
 * is brought up to date without losing a row; running them again changes nothing.
 */

import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { SiteWriter } from '../../src/publisher/site-writer';
import { MIGRATIONS, migrate } from '../../src/publisher/site-writer/schema';

const bindings = env as unknown as PublisherBindings;
const latest = MIGRATIONS.at(-1)?.version ?? 0;
const versions = (sql: SqlStorage) =>
  sql
    .exec<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    .toArray()
    .map((r) => r.version);
const tables = (sql: SqlStorage) =>
  sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
    .toArray()
    .map((r) => r.name);

describe('schema migrations', () => {
  it('counts from 1 without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('bring an object from before versions up to date, keeping its rows, once', async () => {
    const stub = bindings.SITE.get(bindings.SITE.idFromName(`migrations-${crypto.randomUUID()}`));
    await runInDurableObject(stub, (_instance: SiteWriter, state) => {
      const sql = state.storage.sql;
      expect(versions(sql)).toEqual(MIGRATIONS.map((m) => m.version));
      // As an object deployed before issue 24: the tables of version 1, no version record.
      sql.exec('DROP TABLE schema_migrations');
      sql.exec('DROP TABLE inbox_seen');
      sql.exec('DROP TABLE events');
      sql.exec('DROP TABLE event_cursors');
      sql.exec('DROP INDEX ap_deliveries_event');
      sql.exec('ALTER TABLE ap_deliveries DROP COLUMN event_seq');
      sql.exec('ALTER TABLE revisions DROP COLUMN number');
      sql.exec('ALTER TABLE revisions DROP COLUMN source');
      // And before issue 26: no people, no owners.
      for (const table of [
        'people',
        'tokens',
        'sessions',
        'passkeys',
        'invitations',
        'challenges',
        'audit',
      ]) {
        sql.exec(`DROP TABLE ${table}`);
      }
      sql.exec('ALTER TABLE articles DROP COLUMN owner');
      sql.exec('ALTER TABLE articles DROP COLUMN review');
      sql.exec('ALTER TABLE revisions DROP COLUMN author_id');
      sql.exec('ALTER TABLE revisions DROP COLUMN author_via');
      // Two revisions of one article, as a global sequence numbered them.
      for (const hash of ['r1', 'r2']) {
        sql.exec(
          "INSERT INTO revisions (slug, hash, origin, created_at, record) VALUES ('kept', ?, 'api', 1, '{}')",
          hash,
        );
      }
      sql.exec(
        "INSERT INTO articles (slug, origin, path, published, draft, changed_at) VALUES ('kept', 'api', NULL, 'h', NULL, 1)",
      );
      expect(migrate(state.storage)).toBe(latest);
      expect(versions(sql)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(tables(sql)).toEqual(
        expect.arrayContaining(['inbox_seen', 'events', 'event_cursors', 'people', 'audit']),
      );
      expect(sql.exec('SELECT slug FROM articles').toArray()).toEqual([{ slug: 'kept' }]);
      // Numbered per article by the migration: 1, 2.
      expect(
        sql.exec("SELECT number FROM revisions WHERE slug = 'kept' ORDER BY seq").toArray(),
      ).toEqual([{ number: 1 }, { number: 2 }]);
      // Again: nothing to do.
      expect(migrate(state.storage)).toBe(latest);
      expect(versions(sql)).toEqual(MIGRATIONS.map((m) => m.version));
    });
  });
});
