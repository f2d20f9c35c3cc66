/**
 * Who is calling, for every route the publisher serves to people: `Authorization: Bearer` (the
 * PUBLISH_TOKEN bootstrap credential, or a personal token), Cloudflare Access's assertion when
 * Access is configured, or the newsroom's session cookie. The Worker checks what only it can
 * (PUBLISH_TOKEN's value, the Access JWT's signature) and hashes the rest; the Durable Object
 * resolves the credential to a person and the scopes in force now, and counts failures per
 * address. A cookie-authenticated write must come from the site's own origin (`Origin`).
 */
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { ProblemError } from '../../http/problem';
import { sha256Hex, tokenMatches } from '../auth';
import { type PublisherContext, type PublisherEnv, siteOrigin } from '../context';
import { accessEmail } from './access';
import type { Caller, Credential } from './directory';

/** The session cookie's name (sent as `__Host-kvpress-session`: Secure, Path=/, no Domain). */
export const SESSION_COOKIE = 'kvpress-session';
/** Personal tokens start so (and PUBLISH_TOKEN never needs to). */
export const TOKEN_PREFIX = 'kvp_';

export const addressOf = (c: PublisherContext) => c.req.header('CF-Connecting-IP') ?? 'unknown';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session secret from the request's cookie, if any. */
export const sessionSecret = (c: PublisherContext) => getCookie(c, SESSION_COOKIE, 'host');

/**
 * The request's credential (null: none presented), or a thrown 401 for an Access assertion that
 * does not verify.
 */
export async function credentialOf(c: PublisherContext): Promise<Credential | null> {
  // A write a browser sends from another site is refused whatever rides along (a cookie, or
  // Access's assertion, which Access adds from its own cookie): tools send no Origin at all.
  const origin = c.req.header('Origin');
  if (!SAFE.has(c.req.method) && origin !== undefined && origin !== siteOrigin(c)) {
    throw new ProblemError(
      403,
      'Forbidden',
      "A write from a browser must come from this site's own pages (Origin).",
    );
  }
  const authorization = c.req.header('Authorization');
  if (authorization !== undefined) {
    const secret = c.var.config.publishToken ?? '';
    if (await tokenMatches(authorization, secret)) return { kind: 'bootstrap' };
    const bearer = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization)?.[1] ?? '';
    // Anything else is hashed and looked up: a wrong one costs the same as a right one.
    return { kind: 'token', hash: await sha256Hex(bearer) };
  }
  const access = c.var.config.access;
  const assertion = c.req.header('Cf-Access-Jwt-Assertion');
  if (access && assertion) {
    const verified = await accessEmail(assertion, access);
    if ('refused' in verified) {
      throw new ProblemError(
        401,
        'Unauthorized',
        `The Access assertion is refused: ${verified.refused}.`,
      );
    }
    return { kind: 'access', email: verified.email };
  }
  const session = sessionSecret(c);
  if (session) {
    // A cookie rides along on any request the browser makes: a write must be the site's own
    // (SameSite=Lax already keeps it off cross-site POSTs; the Origin check also covers
    // same-site subdomains and old browsers).
    if (!SAFE.has(c.req.method) && c.req.header('Origin') !== siteOrigin(c)) {
      throw new ProblemError(
        403,
        'Forbidden',
        "A signed-in write must come from this site's own pages (Origin).",
      );
    }
    return { kind: 'session', hash: await sha256Hex(session) };
  }
  return null;
}

/**
 * Middleware: resolves the caller or answers 401 (429 past the failure limit). Sets `caller`
 * (what the Durable Object re-checks at each write) and `principal`.
 */
export const authenticated = createMiddleware<PublisherEnv>(async (c, next) => {
  const credential = await credentialOf(c);
  const address = addressOf(c);
  const result = await c.var.site.authenticate(credential, address);
  if (!result.ok && result.status === 429) {
    throw new ProblemError(
      429,
      'Too Many Requests',
      'Too many failed authentications from this address. Retry later.',
      {
        headers: { 'Retry-After': String(result.retryAfterSeconds) },
      },
    );
  }
  if (!result.ok || !credential) {
    // RFC 6750 §3: the challenge names the scheme. Missing, malformed and wrong credentials get
    // the same bytes (telling them apart tells a guesser something).
    throw new ProblemError(
      401,
      'Unauthorized',
      'Send Authorization: Bearer <token>, or sign in at /admin.',
      {
        headers: { 'WWW-Authenticate': 'Bearer realm="kvpress publishing"' },
      },
    );
  }
  const caller: Caller = { credential, address };
  c.set('caller', caller);
  c.set('principal', result.principal);
  await next();
});
