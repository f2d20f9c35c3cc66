/**
 * The Durable Object's half of signing in: invitations and local links looked up and used once,
 * WebAuthn challenges kept between a ceremony's two requests, passkeys stored, sessions made and
 * ended. The Worker runs the WebAuthn verification (@simplewebauthn/server, webauthn.ts) between
 * these steps; nothing here trusts a passkey the Worker did not verify against a taken challenge.
 */
import type { Person, SessionInfo } from '../api-types';
import type { Audit } from './audit';
import type { Credentials, LinkKind } from './credentials';
import { type Answer, no, yes } from './desk';
import type { Directory } from './directory';
import type { Passkeys, StoredPasskey } from './passkeys';
import type { Principal } from './roles';

const LINK_INVALID =
  'This link is not valid: it was used, it expired, or it never existed. Ask an admin for a new one.';

/** A person acting on their own account (the audit's principal for their sign-ins). */
const themselves = (person: Person, via: string): Principal => ({
  person: {
    id: person.id,
    email: person.email,
    name: person.name,
    role: person.role,
    author: person.author,
  },
  role: person.role,
  scopes: [],
  via,
});

export class SignIns {
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

  /** Who a live invitation is for, and the passkeys they have (not to register twice). */
  invitation(hash: string, now: number): Answer<{ person: Person; passkeys: string[] }> {
    const id = this.#credentials.link(hash, 'invitation', now);
    const person = id ? this.#people.get(id) : null;
    if (!person?.active) return no(401, LINK_INVALID);
    return yes({ person, passkeys: this.#passkeys.ids(person.id) });
  }

  challenge(
    id: string,
    challenge: string,
    invitation: string | null,
    address: string,
    now: number,
  ): boolean {
    return this.#passkeys.putChallenge(id, challenge, invitation, address, now);
  }

  takeChallenge(id: string, now: number): { challenge: string; invitation: string | null } | null {
    return this.#passkeys.takeChallenge(id, now);
  }

  /** Uses the invitation up, stores the verified passkey and signs its person in. */
  register(
    invitation: string,
    passkey: Omit<StoredPasskey, 'person'>,
    sessionHash: string,
    address: string,
    now: number,
  ): Answer<SessionInfo> {
    const id = this.#credentials.useLink(invitation, 'invitation', now);
    const person = id ? this.#people.get(id) : null;
    if (!person?.active) return no(401, LINK_INVALID);
    if (this.#passkeys.get(passkey.id)) return no(409, 'This passkey is registered already.');
    this.#passkeys.add({ ...passkey, person: person.id }, now);
    this.#audit.record(
      themselves(person, 'invitation'),
      address,
      `passkey.register ${passkey.id.slice(0, 16)}`,
      null,
      null,
      now,
    );
    return yes(this.#session(person, 'passkey', sessionHash, address, now));
  }

  /** The passkey a sign-in names, when its person may sign in. */
  passkey(id: string): StoredPasskey | null {
    const passkey = this.#passkeys.get(id);
    const person = passkey ? this.#people.get(passkey.person) : null;
    return passkey && person?.active ? passkey : null;
  }

  /** A verified passkey sign-in: the new counter kept, a session made. */
  signIn(
    passkeyId: string,
    counter: number,
    sessionHash: string,
    address: string,
    now: number,
  ): Answer<SessionInfo> {
    const passkey = this.passkey(passkeyId);
    const person = passkey ? this.#people.get(passkey.person) : null;
    if (!passkey || !person)
      return no(401, 'This passkey is not registered here, or its person is deactivated.');
    this.#passkeys.used(passkeyId, counter, now);
    return yes(this.#session(person, 'passkey', sessionHash, address, now));
  }

  /** npm start's one-time link (the Worker serves it only when LOCAL_SIGN_IN is on). */
  useLink(
    kind: LinkKind,
    hash: string,
    sessionHash: string,
    address: string,
    now: number,
  ): Answer<SessionInfo> {
    const id = this.#credentials.useLink(hash, kind, now);
    const person = id ? this.#people.get(id) : null;
    if (!person?.active) return no(401, LINK_INVALID);
    return yes(this.#session(person, 'local', sessionHash, address, now));
  }

  /** Ends the session with this secret's hash (signing out). */
  signOut(sessionHash: string, address: string, now: number): boolean {
    const who = this.#people.resolve({ kind: 'session', hash: sessionHash }, now);
    const ended = this.#credentials.revokeSession({ hash: sessionHash }, now);
    if (ended && who) this.#audit.record(who, address, 'sign-out', null, null, now);
    return ended;
  }

  #session(
    person: Person,
    via: SessionInfo['via'],
    hash: string,
    address: string,
    now: number,
  ): SessionInfo {
    const session = this.#credentials.createSession(person.id, via, hash, address, now);
    this.#audit.record(
      themselves(person, `session ${session.id}`),
      address,
      `sign-in (${via})`,
      null,
      null,
      now,
    );
    return session;
  }
}
