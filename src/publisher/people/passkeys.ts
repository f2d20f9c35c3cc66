/**
 * Passkeys (WebAuthn credentials, verified in the Worker by @simplewebauthn/server) and the
 * one-time challenges of the ceremonies. This object keeps what the ceremonies need between
 * their two requests: a challenge is taken exactly once and expires in five minutes.
 */
import * as v from 'valibot';
import { firstRow, validRows } from '../stored-rows';

export const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;
/** Live challenges one address may hold, and all addresses together: an unsigned caller's writes are bounded. */
export const CHALLENGES_PER_ADDRESS = 10;
export const CHALLENGES_LIVE = 10_000;

/** A stored passkey: its credential id and public key as base64url, its signature counter. */
export interface StoredPasskey {
  id: string;
  person: string;
  publicKey: string;
  counter: number;
  transports: string[];
}

export interface PasskeyInfo {
  id: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const PasskeyRow = v.object({
  id: v.string(),
  person_id: v.string(),
  public_key: v.string(),
  counter: v.number(),
  transports: v.string(),
  created_at: v.number(),
  last_used_at: v.nullable(v.number()),
});
const ChallengeRow = v.object({
  challenge: v.string(),
  invitation: v.nullable(v.string()),
  expires_at: v.number(),
});

export class Passkeys {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /**
   * Remembers a ceremony's challenge (for a registration: the invitation's hash); false when the
   * address, or everyone together, already holds as many live challenges as allowed.
   */
  putChallenge(
    id: string,
    challenge: string,
    invitation: string | null,
    address: string,
    now: number,
  ): boolean {
    this.#sql.exec('DELETE FROM challenges WHERE expires_at < ?', now);
    const count = (where: string, ...args: string[]) =>
      this.#sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM challenges ${where}`, ...args).one()
        .n;
    if (
      count('WHERE address = ?', address) >= CHALLENGES_PER_ADDRESS ||
      count('') >= CHALLENGES_LIVE
    ) {
      return false;
    }
    this.#sql.exec(
      'INSERT INTO challenges (id, challenge, invitation, address, expires_at) VALUES (?, ?, ?, ?, ?)',
      id,
      challenge,
      invitation,
      address,
      now + CHALLENGE_LIFETIME_MS,
    );
    return true;
  }

  /** Takes a challenge (it can be answered once): null when unknown or expired. */
  takeChallenge(id: string, now: number): { challenge: string; invitation: string | null } | null {
    const row = firstRow(
      ChallengeRow,
      this.#sql
        .exec('SELECT challenge, invitation, expires_at FROM challenges WHERE id = ?', id)
        .toArray(),
      'challenges',
    );
    this.#sql.exec('DELETE FROM challenges WHERE id = ?', id);
    return row && row.expires_at > now
      ? { challenge: row.challenge, invitation: row.invitation }
      : null;
  }

  add(passkey: StoredPasskey, now: number): void {
    this.#sql.exec(
      'INSERT INTO passkeys (id, person_id, public_key, counter, transports, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      passkey.id,
      passkey.person,
      passkey.publicKey,
      passkey.counter,
      passkey.transports.join(' '),
      now,
    );
  }

  get(id: string): StoredPasskey | null {
    const row = firstRow(
      PasskeyRow,
      this.#sql.exec('SELECT * FROM passkeys WHERE id = ?', id).toArray(),
      'passkeys',
    );
    if (!row) return null;
    const transports = row.transports ? row.transports.split(' ') : [];
    return {
      id: row.id,
      person: row.person_id,
      publicKey: row.public_key,
      counter: row.counter,
      transports,
    };
  }

  /** Records a successful sign-in: the authenticator's new counter. */
  used(id: string, counter: number, now: number): void {
    this.#sql.exec(
      'UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ?',
      counter,
      now,
      id,
    );
  }

  /** One person's passkeys (without their keys). */
  list(person: string): PasskeyInfo[] {
    const rows = this.#sql.exec(
      'SELECT * FROM passkeys WHERE person_id = ? ORDER BY created_at',
      person,
    );
    return validRows(PasskeyRow, rows.toArray(), 'passkeys').map(
      ({ id, created_at, last_used_at }) => ({
        id,
        createdAt: new Date(created_at).toISOString(),
        lastUsedAt: last_used_at === null ? null : new Date(last_used_at).toISOString(),
      }),
    );
  }

  /** Credential ids a person already has (so a registration does not make a second on one device). */
  ids(person: string): string[] {
    return this.list(person).map((p) => p.id);
  }

  remove(person: string, id: string): boolean {
    return (
      this.#sql.exec('DELETE FROM passkeys WHERE person_id = ? AND id = ?', person, id)
        .rowsWritten > 0
    );
  }
}
