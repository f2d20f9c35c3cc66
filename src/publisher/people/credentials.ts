/**
 * A person's credentials other than passkeys: personal API tokens (scoped, optionally expiring),
 * browser sessions, and one-time links (an invitation to register a passkey; the local sign-in
 * link npm start prints). Only SHA-256 hashes of secrets are stored; the Worker makes the secret,
 * shows it once and hands this object the hash.
 */
import * as v from 'valibot';
import { SCOPES, type Scope, type SessionInfo, type TokenInfo } from '../api-types';
import { firstRow, validRows } from '../stored-rows';

/** A session lasts this long from sign-in (then the person signs in again). */
export const SESSION_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;
/** An invitation to register a passkey is good for this long, once. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** The local sign-in link (npm start) is good for this long, once. */
export const LOCAL_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const TokenRow = v.object({
  id: v.string(),
  person_id: v.string(),
  scopes: v.string(),
  created_at: v.number(),
  expires_at: v.nullable(v.number()),
  last_used_at: v.nullable(v.number()),
  revoked_at: v.nullable(v.number()),
});
const SessionRow = v.object({
  id: v.string(),
  person_id: v.string(),
  via: v.picklist(['passkey', 'access', 'local']),
  created_at: v.number(),
  expires_at: v.number(),
  address: v.string(),
});
const LinkRow = v.object({
  person_id: v.string(),
  kind: v.picklist(['invitation', 'local']),
  expires_at: v.number(),
  used_at: v.nullable(v.number()),
});
export type LinkKind = v.InferOutput<typeof LinkRow>['kind'];

const tokenOf = (row: v.InferOutput<typeof TokenRow>): TokenInfo => ({
  id: row.id,
  person: row.person_id,
  scopes: row.scopes
    .split(' ')
    .filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
  createdAt: new Date(row.created_at).toISOString(),
  expiresAt: iso(row.expires_at),
  lastUsedAt: iso(row.last_used_at),
  revokedAt: iso(row.revoked_at),
});

const sessionOf = (row: v.InferOutput<typeof SessionRow>): SessionInfo => ({
  id: row.id,
  person: row.person_id,
  via: row.via,
  createdAt: new Date(row.created_at).toISOString(),
  expiresAt: new Date(row.expires_at).toISOString(),
  address: row.address,
});

const newId = (prefix: string) =>
  `${prefix}_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;

export class Credentials {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  createToken(
    person: string,
    scopes: Scope[],
    hash: string,
    expiresAt: number | null,
    now: number,
  ) {
    const id = newId('t');
    this.#sql.exec(
      'INSERT INTO tokens (id, person_id, hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      id,
      person,
      hash,
      scopes.join(' '),
      now,
      expiresAt,
    );
    return this.token(id);
  }

  token(id: string): TokenInfo | null {
    const row = firstRow(
      TokenRow,
      this.#sql.exec('SELECT * FROM tokens WHERE id = ?', id).toArray(),
      'tokens',
    );
    return row ? tokenOf(row) : null;
  }

  /** Tokens, newest first: one person's, or everyone's. */
  tokens(person?: string): TokenInfo[] {
    const rows = person
      ? this.#sql.exec('SELECT * FROM tokens WHERE person_id = ? ORDER BY created_at DESC', person)
      : this.#sql.exec('SELECT * FROM tokens ORDER BY created_at DESC');
    return validRows(TokenRow, rows.toArray(), 'tokens').map(tokenOf);
  }

  /** Revokes a token at once (the next request with it is a 401). */
  revokeToken(id: string, now: number): void {
    this.#sql.exec('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', now, id);
  }

  createSession(
    person: string,
    via: SessionInfo['via'],
    hash: string,
    address: string,
    now: number,
  ): SessionInfo {
    const id = newId('s');
    this.#sql.exec(
      'INSERT INTO sessions (id, person_id, hash, via, created_at, expires_at, address) VALUES (?, ?, ?, ?, ?, ?, ?)',
      id,
      person,
      hash,
      via,
      now,
      now + SESSION_LIFETIME_MS,
      address,
    );
    // Sessions long over are forgotten (the audit keeps what they did).
    this.#sql.exec('DELETE FROM sessions WHERE expires_at < ?', now - SESSION_LIFETIME_MS);
    return {
      id,
      person,
      via,
      address,
      createdAt: iso(now) ?? '',
      expiresAt: iso(now + SESSION_LIFETIME_MS) ?? '',
    };
  }

  /** One person's live sessions, newest first. */
  sessions(person: string, now: number): SessionInfo[] {
    const rows = this.#sql.exec(
      'SELECT * FROM sessions WHERE person_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC',
      person,
      now,
    );
    return validRows(SessionRow, rows.toArray(), 'sessions').map(sessionOf);
  }

  /** Ends a session by its id (listed) or by its secret's hash (signing out); true if it was live. */
  revokeSession(by: { id: string } | { hash: string }, now: number): boolean {
    const [column, value] = 'id' in by ? ['id', by.id] : ['hash', by.hash];
    const cursor = this.#sql.exec(
      `UPDATE sessions SET revoked_at = ? WHERE ${column} = ? AND revoked_at IS NULL`,
      now,
      value,
    );
    return cursor.rowsWritten > 0;
  }

  /** Revokes every token and session of a person (deactivated, or all their passkeys lost). */
  revokeAll(person: string, now: number): void {
    this.#sql.exec(
      'UPDATE tokens SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL',
      now,
      person,
    );
    this.#sql.exec(
      'UPDATE sessions SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL',
      now,
      person,
    );
  }

  /** A one-time link's hash, good until `expiresAt`; earlier unused ones of its kind lapse. */
  createLink(person: string, kind: LinkKind, hash: string, expiresAt: number, now: number): void {
    this.#sql.exec(
      'UPDATE invitations SET used_at = ? WHERE person_id = ? AND kind = ? AND used_at IS NULL',
      now,
      person,
      kind,
    );
    this.#sql.exec(
      'INSERT INTO invitations (hash, person_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      hash,
      person,
      kind,
      now,
      expiresAt,
    );
    this.#sql.exec('DELETE FROM invitations WHERE expires_at < ?', now - INVITATION_LIFETIME_MS);
  }

  /** The person a live, unused link names (without using it). */
  link(hash: string, kind: LinkKind, now: number): string | null {
    const row = firstRow(
      LinkRow,
      this.#sql
        .exec('SELECT person_id, kind, expires_at, used_at FROM invitations WHERE hash = ?', hash)
        .toArray(),
      'invitations',
    );
    if (!row || row.kind !== kind || row.used_at !== null || row.expires_at <= now) return null;
    return row.person_id;
  }

  /** Uses a link up: the person it named, or null when it was not live. */
  useLink(hash: string, kind: LinkKind, now: number): string | null {
    const person = this.link(hash, kind, now);
    if (person) this.#sql.exec('UPDATE invitations SET used_at = ? WHERE hash = ?', now, hash);
    return person;
  }
}
