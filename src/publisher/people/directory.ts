/**
 * People, held by the Durable Object: made, listed, changed, deactivated (never deleted: their
 * revisions and audit entries keep their name), and each request's credential resolved to the
 * person and the scopes in force now (the role as it is at this use, not when the credential
 * was made). Every row read back is validated (valibot), never cast.
 */
import * as v from 'valibot';
import { type Person, ROLES, type Role, SCOPES, type Scope } from '../api-types';
import { firstRow, validRows } from '../stored-rows';
import { type Principal, scopesFor } from './roles';

/** What the Worker vouches for: a credential it checked (bootstrap, Access) or the hash of one. */
export type Credential =
  | { kind: 'bootstrap' }
  | { kind: 'token'; hash: string }
  | { kind: 'session'; hash: string }
  | { kind: 'access'; email: string };

/** A caller: the credential and the address the request came from (for the audit). */
export interface Caller {
  credential: Credential;
  address: string;
}

const PersonRow = v.object({
  id: v.string(),
  name: v.string(),
  email: v.string(),
  role: v.picklist(ROLES),
  author: v.nullable(v.string()),
  active: v.number(),
  created_at: v.number(),
});
type PersonRow = v.InferOutput<typeof PersonRow>;

const ScopeList = v.pipe(
  v.string(),
  v.transform((text) => text.split(' ')),
  v.array(v.picklist(SCOPES)),
);

const TokenUse = v.object({
  id: v.string(),
  person_id: v.string(),
  scopes: ScopeList,
  expires_at: v.nullable(v.number()),
});
const SessionUse = v.object({ id: v.string(), person_id: v.string() });

export const PERSON_COLUMNS = 'id, name, email, role, author, active, created_at';

/** A person row as the API answers it. */
export const personOf = (row: PersonRow): Person => ({
  id: row.id,
  name: row.name,
  email: row.email,
  role: row.role,
  author: row.author,
  active: row.active === 1,
  createdAt: new Date(row.created_at).toISOString(),
});

export class Directory {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  #row(where: string, value: string): PersonRow | undefined {
    const rows = this.#sql.exec(`SELECT ${PERSON_COLUMNS} FROM people WHERE ${where} = ?`, value);
    return firstRow(PersonRow, rows.toArray(), 'people');
  }

  get(id: string): Person | null {
    const row = this.#row('id', id);
    return row ? personOf(row) : null;
  }

  byEmail(email: string): Person | null {
    const row = this.#row('email', email);
    return row ? personOf(row) : null;
  }

  list(): Person[] {
    const rows = this.#sql.exec(`SELECT ${PERSON_COLUMNS} FROM people ORDER BY created_at, id`);
    return validRows(PersonRow, rows.toArray(), 'people').map(personOf);
  }

  /** A new person; null when the email is someone's already. */
  create(
    fields: { name: string; email: string; role: Role; author: string | null },
    now: number,
  ): Person | null {
    if (this.#row('email', fields.email)) return null;
    const id = `p_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
    this.#sql.exec(
      'INSERT INTO people (id, name, email, role, author, active, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)',
      id,
      fields.name,
      fields.email,
      fields.role,
      fields.author,
      now,
    );
    return this.get(id);
  }

  /** Changes a person's fields; 'taken' when the new email is someone else's. */
  update(
    id: string,
    patch: Partial<{
      name: string;
      email: string;
      role: Role;
      author: string | null;
      active: boolean;
    }>,
  ): Person | 'taken' | null {
    const person = this.get(id);
    if (!person) return null;
    if (patch.email !== undefined) {
      const other = this.byEmail(patch.email);
      if (other && other.id !== id) return 'taken';
    }
    const next = { ...person, ...patch };
    this.#sql.exec(
      'UPDATE people SET name = ?, email = ?, role = ?, author = ?, active = ? WHERE id = ?',
      next.name,
      next.email,
      next.role,
      next.author,
      next.active ? 1 : 0,
      id,
    );
    return this.get(id);
  }

  /**
   * The principal `credential` stands for now, or null (unknown, expired, revoked, or its person
   * deactivated). A token's scopes are cut to the person's current role at each use.
   */
  resolve(credential: Credential, now: number): Principal | null {
    switch (credential.kind) {
      case 'bootstrap':
        return { person: null, role: 'admin', scopes: [...SCOPES], via: 'PUBLISH_TOKEN' };
      case 'access': {
        const person = this.byEmail(credential.email);
        return person?.active ? this.#principal(person, undefined, 'access') : null;
      }
      case 'token': {
        const rows = this.#sql.exec(
          `SELECT id, person_id, scopes, expires_at FROM tokens WHERE hash = ? AND revoked_at IS NULL
             AND (expires_at IS NULL OR expires_at > ?)`,
          credential.hash,
          now,
        );
        const token = firstRow(TokenUse, rows.toArray(), 'tokens');
        const person = token ? this.get(token.person_id) : null;
        if (!token || !person?.active) return null;
        this.#sql.exec('UPDATE tokens SET last_used_at = ? WHERE id = ?', now, token.id);
        return {
          ...this.#principal(person, token.scopes, `token ${token.id}`),
          expiresAt: token.expires_at,
        };
      }
      case 'session': {
        const rows = this.#sql.exec(
          'SELECT id, person_id FROM sessions WHERE hash = ? AND revoked_at IS NULL AND expires_at > ?',
          credential.hash,
          now,
        );
        const session = firstRow(SessionUse, rows.toArray(), 'sessions');
        const person = session ? this.get(session.person_id) : null;
        if (!session || !person?.active) return null;
        return this.#principal(person, undefined, `session ${session.id}`);
      }
    }
  }

  #principal(person: Person, asked: Scope[] | undefined, via: string): Principal {
    const { id, email, name, role, author } = person;
    return { person: { id, email, name, role, author }, role, scopes: scopesFor(role, asked), via };
  }
}
