/**
 * The people tables (migration 5 in site-writer/schema.ts): people and their credentials
 * (tokens, sessions, passkeys, invitations, WebAuthn challenges), the audit trail, and who
 * created each article and wrote each revision. Secrets are stored as SHA-256 hashes only.
 */
export const PEOPLE_SCHEMA = `
CREATE TABLE people (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role TEXT NOT NULL,
  author TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  person_id TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX tokens_person ON tokens (person_id);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  person_id TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  via TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  address TEXT NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE TABLE passkeys (
  id TEXT PRIMARY KEY,
  person_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  counter INTEGER NOT NULL,
  transports TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX passkeys_person ON passkeys (person_id);
CREATE TABLE invitations (
  hash TEXT PRIMARY KEY,
  person_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE TABLE challenges (
  id TEXT PRIMARY KEY,
  challenge TEXT NOT NULL,
  invitation TEXT,
  address TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX challenges_address ON challenges (address);
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  person_id TEXT,
  person_email TEXT,
  via TEXT NOT NULL,
  operation TEXT NOT NULL,
  slug TEXT,
  revision INTEGER,
  address TEXT NOT NULL
);
CREATE INDEX audit_person ON audit (person_id, seq);
CREATE INDEX audit_slug ON audit (slug, seq);
ALTER TABLE articles ADD COLUMN owner TEXT;
ALTER TABLE articles ADD COLUMN review INTEGER NOT NULL DEFAULT 0;
ALTER TABLE revisions ADD COLUMN author_id TEXT;
ALTER TABLE revisions ADD COLUMN author_via TEXT;`;
