/**
 * Cloudflare Access: when the newsroom sits behind an Access application, every request carries
 * `Cf-Access-Jwt-Assertion`, a JWT signed by the team's keys. It is verified with `jose` (RS256,
 * the application's audience, the team domain as issuer, expiry) against the team's published
 * keys, fetched with a time bound and cached per isolate; its `email` then names a person (the
 * Durable Object maps it; nobody unknown gets in). See
 * https://developers.cloudflare.com/cloudflare-one/identity/authorization-cookie/validating-json/
 */
import { createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose';
import type { PublisherConfig } from '../config';
import { readBounded } from '../federation/remote';

type Access = NonNullable<PublisherConfig['access']>;
type KeySet = ReturnType<typeof createRemoteJWKSet>;

/** The team's keys: most bytes read, and how long a fetch of them may take. */
const CERTS_MAX_BYTES = 64 * 1024;
const CERTS_TIMEOUT_MS = 3_000;

const keySets = new Map<string, KeySet>();

/** A bounded fetch of the keys: no redirect followed, at most CERTS_MAX_BYTES read. */
async function fetchKeys(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, { ...init, redirect: 'manual' });
  const body = await readBounded(response.body, CERTS_MAX_BYTES);
  return new Response(body, { status: response.status, headers: response.headers });
}

function keysOf(access: Access): KeySet {
  let keys = keySets.get(access.certsUrl);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(access.certsUrl), {
      timeoutDuration: CERTS_TIMEOUT_MS,
      cacheMaxAge: 10 * 60 * 1000,
      [customFetch]: fetchKeys,
    });
    keySets.set(access.certsUrl, keys);
  }
  return keys;
}

/** The verified email of an Access assertion, or why it is refused. */
export async function accessEmail(
  assertion: string,
  access: Access,
): Promise<{ email: string } | { refused: string }> {
  try {
    const { payload } = await jwtVerify(assertion, keysOf(access), {
      issuer: access.teamDomain,
      audience: access.audience,
      algorithms: ['RS256'],
    });
    const email = payload.email;
    if (typeof email !== 'string' || !email.includes('@')) return { refused: 'it names no email' };
    return { email };
  } catch (error) {
    // jose's codes (ERR_JWT_EXPIRED, ERR_JWT_CLAIM_VALIDATION_FAILED…) say why, not the token.
    return { refused: error instanceof errors.JOSEError ? error.code : 'it could not be verified' };
  }
}
