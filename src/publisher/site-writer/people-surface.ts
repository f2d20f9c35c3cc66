/**
 * The site writer's RPC surface for people (SiteWriter extends it; index.ts keeps the articles'):
 * authenticating a request's credential (with failed attempts limited per address), the people,
 * tokens, sessions, passkeys and audit commands (people/desk.ts decides each against the caller's
 * role now), and the sign-in ceremonies' steps (people/sign-ins.ts). One object, one SQLite
 * database: a role change and the write it forbids are ordered by the same single thread.
 */
import { DurableObject } from 'cloudflare:workers';
import type { AuditEntry, Person, Scope, SessionInfo, TokenInfo } from '../api-types';
import { Audit, type AuditFilter } from '../people/audit';
import { Credentials, type LinkKind } from '../people/credentials';
import { type Answer, Desk, type NewPerson, no, type PersonPatch } from '../people/desk';
import { type Caller, type Credential, Directory } from '../people/directory';
import { type PasskeyInfo, Passkeys, type StoredPasskey } from '../people/passkeys';
import type { Principal } from '../people/roles';
import { SignIns } from '../people/sign-ins';
import { AuthFailures, type AuthGate } from './auth-failures';
import { migrate } from './schema';

/** What authenticating a request's credential gives. */
export type Authenticated =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 }
  | { ok: false; status: 429; retryAfterSeconds: number };

export abstract class PeopleSurface extends DurableObject<PublisherBindings> {
  protected readonly directory: Directory;
  protected readonly audit: Audit;
  readonly #desk: Desk;
  readonly #signIns: SignIns;
  readonly #failures: AuthFailures;

  constructor(ctx: DurableObjectState, env: PublisherBindings) {
    super(ctx, env);
    migrate(ctx.storage);
    const sql = ctx.storage.sql;
    this.directory = new Directory(sql);
    this.audit = new Audit(sql);
    const credentials = new Credentials(sql);
    const passkeys = new Passkeys(sql);
    this.#desk = new Desk(this.directory, credentials, passkeys, this.audit);
    this.#signIns = new SignIns(this.directory, credentials, passkeys, this.audit);
    this.#failures = new AuthFailures(sql);
  }

  /**
   * The principal a request's credential stands for now. A credential that resolves to no one
   * (and, for the API, none at all) counts as a failure of its address; too many block it, right
   * credential or not (auth-failures.ts).
   */
  authenticate(credential: Credential | null, address: string): Authenticated {
    const now = Date.now();
    const principal = credential ? this.directory.resolve(credential, now) : null;
    const gate = this.#failures.check(address, principal !== null, now);
    if (!gate.allowed) return { ok: false, status: 429, retryAfterSeconds: gate.retryAfterSeconds };
    return principal ? { ok: true, principal } : { ok: false, status: 401 };
  }

  /** Counts a failed authentication of `address` (when not `ok`); see auth-failures.ts. */
  authGate(address: string, ok: boolean): AuthGate {
    return this.#failures.check(address, ok, Date.now());
  }

  /** Runs `command` as the caller, resolved now (401 when their credential ended meanwhile). */
  #as<T>(caller: Caller, command: (who: Principal, now: number) => Answer<T>): Answer<T> {
    const now = Date.now();
    const who = this.directory.resolve(caller.credential, now);
    return who ? command(who, now) : no(401, 'This credential is no longer valid.');
  }

  // ---- people, tokens, sessions, passkeys, audit (people/desk.ts) ---------------------------

  listPeople(caller: Caller): Answer<Person[]> {
    return this.#as(caller, (who) => this.#desk.listPeople(who));
  }
  getPerson(caller: Caller, id: string): Answer<Person> {
    return this.#as(caller, (who) => this.#desk.getPerson(who, id));
  }
  createPerson(caller: Caller, fields: NewPerson): Answer<Person> {
    return this.#as(caller, (who, now) =>
      this.#desk.createPerson(who, caller.address, fields, now),
    );
  }
  updatePerson(caller: Caller, id: string, patch: PersonPatch): Answer<Person> {
    return this.#as(caller, (who, now) =>
      this.#desk.updatePerson(who, caller.address, id, patch, now),
    );
  }
  createLink(
    caller: Caller,
    id: string,
    kind: LinkKind,
    hash: string,
  ): Answer<{ expiresAt: string }> {
    return this.#as(caller, (who, now) =>
      this.#desk.link(who, caller.address, id, kind, hash, now),
    );
  }
  listTokens(caller: Caller, person?: string): Answer<TokenInfo[]> {
    return this.#as(caller, (who) => this.#desk.listTokens(who, person));
  }
  createToken(
    caller: Caller,
    request: { person: string; scopes: Scope[]; hash: string; expiresAt: number | null },
  ): Answer<TokenInfo> {
    return this.#as(caller, (who, now) =>
      this.#desk.createToken(who, caller.address, request, now),
    );
  }
  revokeToken(caller: Caller, id: string): Answer<TokenInfo> {
    return this.#as(caller, (who, now) => this.#desk.revokeToken(who, caller.address, id, now));
  }
  listSessions(caller: Caller, person: string): Answer<SessionInfo[]> {
    return this.#as(caller, (who, now) => this.#desk.listSessions(who, person, now));
  }
  revokeSession(caller: Caller, person: string, id: string): Answer<{ revoked: boolean }> {
    return this.#as(caller, (who, now) =>
      this.#desk.revokeSession(who, caller.address, person, id, now),
    );
  }
  listPasskeys(caller: Caller, person: string): Answer<PasskeyInfo[]> {
    return this.#as(caller, (who) => this.#desk.listPasskeys(who, person));
  }
  removePasskey(caller: Caller, person: string, id: string): Answer<{ removed: boolean }> {
    return this.#as(caller, (who, now) =>
      this.#desk.removePasskey(who, caller.address, person, id, now),
    );
  }
  readAudit(caller: Caller, filter: AuditFilter): Answer<AuditEntry[]> {
    return this.#as(caller, (who) => this.#desk.readAudit(who, filter));
  }

  // ---- signing in (people/sign-ins.ts; the Worker verifies WebAuthn between these) -----------

  invitation(hash: string): Answer<{ person: Person; passkeys: string[] }> {
    return this.#signIns.invitation(hash, Date.now());
  }
  putChallenge(id: string, challenge: string, invitation: string | null, address: string): boolean {
    return this.#signIns.challenge(id, challenge, invitation, address, Date.now());
  }
  takeChallenge(id: string): { challenge: string; invitation: string | null } | null {
    return this.#signIns.takeChallenge(id, Date.now());
  }
  registerPasskey(
    invitation: string,
    passkey: Omit<StoredPasskey, 'person'>,
    sessionHash: string,
    address: string,
  ): Answer<SessionInfo> {
    return this.#signIns.register(invitation, passkey, sessionHash, address, Date.now());
  }
  passkey(id: string): StoredPasskey | null {
    return this.#signIns.passkey(id);
  }
  passkeySignIn(
    id: string,
    counter: number,
    sessionHash: string,
    address: string,
  ): Answer<SessionInfo> {
    return this.#signIns.signIn(id, counter, sessionHash, address, Date.now());
  }
  linkSignIn(hash: string, sessionHash: string, address: string): Answer<SessionInfo> {
    return this.#signIns.useLink('local', hash, sessionHash, address, Date.now());
  }
  signOut(sessionHash: string, address: string): boolean {
    return this.#signIns.signOut(sessionHash, address, Date.now());
  }
}
