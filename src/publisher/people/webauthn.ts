/**
 * The passkey ceremonies' server half, with @simplewebauthn/server (no hand-written CBOR or COSE):
 * registration from an invitation, sign-in with a discoverable credential, the local one-time
 * link, sign-out. The relying party is the site's own origin (SITE_URL, else the request's):
 * WebAuthn accepts `localhost` over http, never an IP address. Challenges live five minutes and
 * are taken once (the Durable Object); failures count against the address like a wrong token.
 * Every POST here sets or ends a session, so it must come from the site's own pages (`Origin`).
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import { deleteCookie, setCookie } from 'hono/cookie';
import * as v from 'valibot';
import { ProblemError } from '../../http/problem';
import type { SessionInfo } from '../api-types';
import { newSecret, sha256Hex } from '../auth';
import { type PublisherContext, siteOrigin } from '../context';
import { addressOf, SESSION_COOKIE, sessionSecret } from './authenticate';
import { SESSION_LIFETIME_MS } from './credentials';
import type { Answer } from './desk';
import { CHALLENGE_LIFETIME_MS } from './passkeys';

const Secret = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/));
const B64 = v.pipe(v.string(), v.maxLength(16_384), v.regex(/^[A-Za-z0-9_-]*$/));
const TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const;
/** The browser's PublicKeyCredential.toJSON(), the fields the library reads (it checks the rest). */
const credentialJSON = <T extends v.ObjectEntries>(response: T) =>
  v.object({
    id: B64,
    rawId: B64,
    type: v.literal('public-key'),
    response: v.object(response),
    clientExtensionResults: v.object({}),
    authenticatorAttachment: v.optional(v.picklist(['platform', 'cross-platform'])),
  });
const ChallengeId = v.pipe(v.string(), v.uuid());
const RegistrationFinish = v.object({
  challengeId: ChallengeId,
  response: credentialJSON({
    clientDataJSON: B64,
    attestationObject: B64,
    transports: v.optional(v.array(v.picklist(TRANSPORTS))),
  }),
});
const SignInFinish = v.object({
  challengeId: ChallengeId,
  response: credentialJSON({
    clientDataJSON: B64,
    authenticatorData: B64,
    signature: B64,
    userHandle: v.optional(B64),
  }),
});

/** The relying party: the site's origin and its host name. */
function party(c: PublisherContext) {
  const origin = siteOrigin(c);
  return { origin, rpID: new URL(origin).hostname };
}

/** Refuses a cross-site POST (login CSRF) and an address past its failure limit. */
async function guard(c: PublisherContext): Promise<void> {
  if (c.req.header('Origin') !== siteOrigin(c)) {
    throw new ProblemError(403, 'Forbidden', "Sign in from this site's own pages (Origin).");
  }
  const gate = await c.var.site.authGate(addressOf(c), true);
  if (!gate.allowed) throw tooMany(gate.retryAfterSeconds);
}

const tooMany = (seconds: number) =>
  new ProblemError(
    429,
    'Too Many Requests',
    'Too many failed sign-ins from this address. Retry later.',
    {
      headers: { 'Retry-After': String(seconds) },
    },
  );

/** A failed attempt: counted against the address, answered 401 (or 429 past the limit). */
async function failed(c: PublisherContext, detail: string): Promise<ProblemError> {
  const gate = await c.var.site.authGate(addressOf(c), false);
  return gate.allowed
    ? new ProblemError(401, 'Unauthorized', detail)
    : tooMany(gate.retryAfterSeconds);
}

async function json<T extends v.GenericSchema>(
  c: PublisherContext,
  schema: T,
): Promise<v.InferOutput<T>> {
  const body: unknown = await c.req.json().catch(() => undefined);
  const parsed = v.safeParse(schema, body);
  if (!parsed.success)
    throw new ProblemError(400, 'Bad Request', 'The request is not what this ceremony expects.');
  return parsed.output;
}

/** Signs the browser in: the session's secret as a `__Host-` cookie (Secure, HttpOnly, Lax). */
async function signedIn(
  c: PublisherContext,
  start: (hash: string) => Promise<Answer<SessionInfo>>,
) {
  const secret = newSecret();
  const answer = await start(await sha256Hex(secret));
  if (!answer.ok) throw await failed(c, answer.detail);
  setCookie(c, SESSION_COOKIE, secret, {
    prefix: 'host',
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: SESSION_LIFETIME_MS / 1000,
  });
  return c.json({ signedIn: true, expiresAt: answer.value.expiresAt }, 201);
}

/** POST /admin/passkeys/options {invitation}: the registration's options for the invited person. */
export async function registrationOptions(c: PublisherContext) {
  await guard(c);
  const { invitation } = await json(c, v.object({ invitation: Secret }));
  const hash = await sha256Hex(invitation);
  const found = await c.var.site.invitation(hash);
  if (!found.ok) throw await failed(c, found.detail);
  const { person, passkeys } = found.value;
  const options = await generateRegistrationOptions({
    rpName: c.var.config.siteName,
    rpID: party(c).rpID,
    userName: person.email,
    userDisplayName: person.name,
    userID: isoUint8Array.fromUTF8String(person.id),
    attestationType: 'none',
    excludeCredentials: passkeys.map((id) => ({ id })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  const challengeId = crypto.randomUUID();
  if (!(await c.var.site.putChallenge(challengeId, options.challenge, hash, addressOf(c)))) {
    throw tooMany(CHALLENGE_LIFETIME_MS / 1000);
  }
  return c.json({ challengeId, options });
}

/** POST /admin/passkeys {challengeId, response}: the new passkey verified, stored, signed in. */
export async function register(c: PublisherContext) {
  await guard(c);
  const body = await json(c, RegistrationFinish);
  const taken = await c.var.site.takeChallenge(body.challengeId);
  if (!taken?.invitation)
    throw await failed(c, 'This registration expired: open the invitation again.');
  const { origin, rpID } = party(c);
  const verification = await verifyRegistrationResponse({
    response: body.response,
    expectedChallenge: taken.challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: true,
  }).catch(() => ({ verified: false as const }));
  if (!verification.verified) throw await failed(c, 'The passkey could not be verified.');
  const { credential } = verification.registrationInfo;
  const invitation = taken.invitation;
  return signedIn(c, (hash) =>
    c.var.site.registerPasskey(
      invitation,
      {
        id: credential.id,
        publicKey: isoBase64URL.fromBuffer(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ?? [],
      },
      hash,
      addressOf(c),
    ),
  );
}

/** POST /admin/sign-in/options: a challenge for any passkey registered here (discoverable). */
export async function signInOptions(c: PublisherContext) {
  await guard(c);
  const options = await generateAuthenticationOptions({
    rpID: party(c).rpID,
    userVerification: 'required',
  });
  const challengeId = crypto.randomUUID();
  if (!(await c.var.site.putChallenge(challengeId, options.challenge, null, addressOf(c)))) {
    throw tooMany(CHALLENGE_LIFETIME_MS / 1000);
  }
  return c.json({ challengeId, options });
}

/** POST /admin/sign-in {challengeId, response}: the assertion verified against the stored key. */
export async function signIn(c: PublisherContext) {
  await guard(c);
  const body = await json(c, SignInFinish);
  const taken = await c.var.site.takeChallenge(body.challengeId);
  if (!taken || taken.invitation) throw await failed(c, 'This sign-in expired: try again.');
  const passkey = await c.var.site.passkey(body.response.id);
  if (!passkey) throw await failed(c, 'This passkey is not registered here.');
  const { origin, rpID } = party(c);
  const verification = await verifyAuthenticationResponse({
    response: body.response,
    expectedChallenge: taken.challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    credential: {
      id: passkey.id,
      publicKey: new Uint8Array(isoBase64URL.toBuffer(passkey.publicKey)),
      counter: passkey.counter,
      transports: passkey.transports,
    },
    requireUserVerification: true,
  }).catch(() => ({ verified: false as const, authenticationInfo: undefined }));
  if (!verification.verified || !verification.authenticationInfo) {
    throw await failed(c, 'The passkey could not be verified.');
  }
  const counter = verification.authenticationInfo.newCounter;
  return signedIn(c, (hash) => c.var.site.passkeySignIn(passkey.id, counter, hash, addressOf(c)));
}

/** POST /admin/sign-in/link {secret}: npm start's one-time link (404 unless LOCAL_SIGN_IN). */
export async function linkSignIn(c: PublisherContext) {
  if (!c.var.config.localSignIn)
    throw new ProblemError(404, 'Not Found', 'Nothing is published at this path.');
  await guard(c);
  const { secret } = await json(c, v.object({ secret: Secret }));
  const linkHash = await sha256Hex(secret);
  return signedIn(c, (hash) => c.var.site.linkSignIn(linkHash, hash, addressOf(c)));
}

/** POST /admin/sign-out: the session ended where it is kept, the cookie cleared, back to sign-in. */
export async function signOut(c: PublisherContext) {
  if (c.req.header('Origin') !== siteOrigin(c)) {
    throw new ProblemError(403, 'Forbidden', "Sign out from this site's own pages (Origin).");
  }
  const secret = sessionSecret(c);
  if (secret) await c.var.site.signOut(await sha256Hex(secret), addressOf(c));
  deleteCookie(c, SESSION_COOKIE, { prefix: 'host', path: '/', secure: true });
  return c.redirect('/admin/sign-in', 303);
}
