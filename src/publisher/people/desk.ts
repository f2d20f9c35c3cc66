/**
 * What people do to people and credentials, decided in the Durable Object: each command checks
 * the caller's current role and scopes (admin for people and others' tokens; editors and admins
 * read the audit; everyone their own tokens, sessions and passkeys), writes, and records an audit
 * entry in the same synchronous step (no await between: the object runs it alone).
 */
import type { AuditEntry, Person, Role, Scope, SessionInfo, TokenInfo } from '../api-types';
import type { Audit, AuditFilter } from './audit';
import {
  type Credentials,
  INVITATION_LIFETIME_MS,
  type LinkKind,
  LOCAL_LINK_LIFETIME_MS,
} from './credentials';
import type { Directory } from './directory';
import type { PasskeyInfo, Passkeys } from './passkeys';
import { aRole, atLeast, type Principal, ROLE_SCOPES } from './roles';

/** An answer, or why not (the API's problem status and detail). */
export type Answer<T> =
  | { ok: true; value: T }
  | { ok: false; status: 401 | 403 | 404 | 409; detail: string };

export interface NewPerson {
  name: string;
  email: string;
  role: Role;
  author: string | null;
}

export type PersonPatch = Partial<NewPerson & { active: boolean }>;

export const yes = <T>(value: T): Answer<T> => ({ ok: true, value });
export const no = (status: 401 | 403 | 404 | 409, detail: string): Answer<never> => ({
  ok: false,
  status,
  detail,
});
const noPerson = (id: string) => no(404, `No person "${id}" exists.`);

export class Desk {
  readonly #people: Directory;
  readonly #credentials: Credentials;
  readonly #passkeys: Passkeys;
  readonly #audit: Audit;

  constructor(people: Directory, credentials: Credentials, passkeys: Passkeys, audit: Audit) {
    this.#people = people;
    this.#credentials = credentials;
    this.#passkeys = passkeys;
    this.#audit = audit;
  }

  /** Null when `who` holds the admin role and scope; else the refusal. */
  #admin(who: Principal, what: string): Answer<never> | null {
    if (!atLeast(who.role, 'admin'))
      return no(403, `${aRole(who.role)} may not ${what}; ask an admin.`);
    if (!who.scopes.includes('admin'))
      return no(403, `This credential lacks the "admin" scope needed to ${what}.`);
    return null;
  }

  /**
   * Null when `who` is `person` themselves or an admin. A change (`write`) to one's own
   * credentials needs a credential that may write: a read-only token may not end sessions,
   * revoke tokens or remove passkeys.
   */
  #selfOrAdmin(who: Principal, person: string, what: string, write = false): Answer<never> | null {
    if (who.person?.id !== person) return this.#admin(who, what);
    if (write && !who.scopes.some((s) => s !== 'read')) {
      return no(403, 'This credential is read-only: it may not change credentials.');
    }
    return null;
  }

  listPeople(who: Principal): Answer<Person[]> {
    return this.#admin(who, 'list people') ?? yes(this.#people.list());
  }

  getPerson(who: Principal, id: string): Answer<Person> {
    const refused = this.#selfOrAdmin(who, id, "see other people's accounts");
    if (refused) return refused;
    const person = this.#people.get(id);
    return person ? yes(person) : noPerson(id);
  }

  createPerson(who: Principal, address: string, fields: NewPerson, now: number): Answer<Person> {
    const refused = this.#admin(who, 'add people');
    if (refused) return refused;
    const person = this.#people.create(fields, now);
    if (!person) return no(409, `Someone already has the email ${fields.email}.`);
    this.#audit.record(
      who,
      address,
      `person.create ${person.id} (${person.role})`,
      null,
      null,
      now,
    );
    return yes(person);
  }

  updatePerson(
    who: Principal,
    address: string,
    id: string,
    patch: PersonPatch,
    now: number,
  ): Answer<Person> {
    const refused = this.#admin(who, 'change people or roles');
    if (refused) return refused;
    const before = this.#people.get(id);
    if (!before) return noPerson(id);
    const demoted = (patch.role !== undefined && patch.role !== 'admin') || patch.active === false;
    if (before.role === 'admin' && before.active && demoted && this.#activeAdmins() === 1) {
      return no(409, 'This is the last active admin: make another admin first.');
    }
    const person = this.#people.update(id, patch);
    if (person === 'taken') return no(409, `Someone already has the email ${patch.email}.`);
    if (!person) return noPerson(id);
    // A deactivated person's credentials end now (their revisions and audit entries stay).
    if (before.active && !person.active) this.#credentials.revokeAll(id, now);
    const changed = Object.keys(patch).join(', ');
    this.#audit.record(who, address, `person.update ${id} (${changed})`, null, null, now);
    return yes(person);
  }

  #activeAdmins(): number {
    return this.#people.list().filter((p) => p.active && p.role === 'admin').length;
  }

  /** Stores a one-time link's hash for `id`: an invitation to register a passkey, or (local only) a sign-in. */
  link(
    who: Principal,
    address: string,
    id: string,
    kind: LinkKind,
    hash: string,
    now: number,
  ): Answer<{ expiresAt: string }> {
    const refused = this.#admin(who, 'invite people');
    if (refused) return refused;
    const person = this.#people.get(id);
    if (!person) return noPerson(id);
    if (!person.active) return no(409, `${person.email} is deactivated: reactivate them first.`);
    const expiresAt =
      now + (kind === 'invitation' ? INVITATION_LIFETIME_MS : LOCAL_LINK_LIFETIME_MS);
    this.#credentials.createLink(id, kind, hash, expiresAt, now);
    this.#audit.record(
      who,
      address,
      `${kind === 'invitation' ? 'invitation' : 'sign-in link'} ${id}`,
      null,
      null,
      now,
    );
    return yes({ expiresAt: new Date(expiresAt).toISOString() });
  }

  listTokens(who: Principal, person: string | undefined): Answer<TokenInfo[]> {
    if (person === undefined && who.person && !atLeast(who.role, 'admin'))
      return yes(this.#credentials.tokens(who.person.id));
    if (person === undefined)
      return this.#admin(who, "list others' tokens") ?? yes(this.#credentials.tokens());
    return (
      this.#selfOrAdmin(who, person, "list others' tokens") ?? yes(this.#credentials.tokens(person))
    );
  }

  createToken(
    who: Principal,
    address: string,
    request: { person: string; scopes: Scope[]; hash: string; expiresAt: number | null },
    now: number,
  ): Answer<TokenInfo> {
    const refused = this.#selfOrAdmin(who, request.person, 'make tokens for others', true);
    if (refused) return refused;
    // A token never mints one that outlives it (revoking a leaked token must be enough).
    const limit = who.expiresAt ?? null;
    if (limit !== null && (request.expiresAt === null || request.expiresAt > limit)) {
      return no(
        403,
        `A token made with this token must expire by ${new Date(limit).toISOString()}.`,
      );
    }
    const person = this.#people.get(request.person);
    if (!person) return noPerson(request.person);
    if (!person.active) return no(409, `${person.email} is deactivated.`);
    const beyondRole = request.scopes.filter((s) => !ROLE_SCOPES[person.role].includes(s));
    if (beyondRole.length > 0) {
      return no(
        403,
        `${aRole(person.role)} may not hold the scope${beyondRole.length > 1 ? 's' : ''} ${beyondRole.join(', ')}.`,
      );
    }
    // A credential never mints a broader one.
    const beyondCaller = request.scopes.filter((s) => !who.scopes.includes(s));
    if (beyondCaller.length > 0)
      return no(403, `This credential may not grant ${beyondCaller.join(', ')}.`);
    const token = this.#credentials.createToken(
      person.id,
      request.scopes,
      request.hash,
      request.expiresAt,
      now,
    );
    if (!token) return no(409, 'The token could not be stored.');
    this.#audit.record(
      who,
      address,
      `token.create ${token.id} for ${person.id} (${request.scopes.join(' ')})`,
      null,
      null,
      now,
    );
    return yes(token);
  }

  revokeToken(who: Principal, address: string, id: string, now: number): Answer<TokenInfo> {
    const token = this.#credentials.token(id);
    if (!token) return no(404, `No token "${id}" exists.`);
    const refused = this.#selfOrAdmin(who, token.person, "revoke others' tokens", true);
    if (refused) return refused;
    this.#credentials.revokeToken(id, now);
    this.#audit.record(who, address, `token.revoke ${id}`, null, null, now);
    return yes(this.#credentials.token(id) ?? token);
  }

  listSessions(who: Principal, person: string, now: number): Answer<SessionInfo[]> {
    return (
      this.#selfOrAdmin(who, person, "list others' sessions") ??
      yes(this.#credentials.sessions(person, now))
    );
  }

  revokeSession(
    who: Principal,
    address: string,
    person: string,
    id: string,
    now: number,
  ): Answer<{ revoked: boolean }> {
    const refused = this.#selfOrAdmin(who, person, "end others' sessions", true);
    if (refused) return refused;
    if (!this.#credentials.sessions(person, now).some((s) => s.id === id))
      return no(404, `No live session "${id}".`);
    this.#credentials.revokeSession({ id }, now);
    this.#audit.record(who, address, `session.revoke ${id}`, null, null, now);
    return yes({ revoked: true });
  }

  listPasskeys(who: Principal, person: string): Answer<PasskeyInfo[]> {
    return (
      this.#selfOrAdmin(who, person, "list others' passkeys") ?? yes(this.#passkeys.list(person))
    );
  }

  removePasskey(
    who: Principal,
    address: string,
    person: string,
    id: string,
    now: number,
  ): Answer<{ removed: boolean }> {
    const refused = this.#selfOrAdmin(who, person, "remove others' passkeys", true);
    if (refused) return refused;
    if (!this.#passkeys.remove(person, id)) return no(404, `No passkey "${id}" for ${person}.`);
    this.#audit.record(who, address, `passkey.remove ${id}`, null, null, now);
    return yes({ removed: true });
  }

  readAudit(who: Principal, filter: AuditFilter): Answer<AuditEntry[]> {
    if (!atLeast(who.role, 'editor'))
      return no(403, `${aRole(who.role)} may not read the audit trail; ask an editor.`);
    if (!who.scopes.includes('read')) return no(403, 'This credential lacks the "read" scope.');
    return yes(this.#audit.read(filter));
  }
}
