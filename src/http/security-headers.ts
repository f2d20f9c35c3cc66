/**
 * The security headers of every answer, as one constant list. They are what hono/secure-headers
 * built from our options, but that middleware (options, nonces, reporting) was 1 KiB gzip of the
 * worker's 50 KiB budget for headers that never change.
 */
import type { MiddlewareHandler } from 'hono';
import { STYLES_CSP_HASH } from '../render-version';

// Pages carry no script and load nothing: the policy allows exactly the inline stylesheet.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${STYLES_CSP_HASH}`,
  "img-src 'self' https:",
  // Nothing on our pages fetches; tools that run in the page (Lighthouse's robots.txt check)
  // may read same-origin documents.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  // Public documents: other sites' scripts may fetch them (with CORS).
  ['Cross-Origin-Resource-Policy', 'cross-origin'],
  ['Origin-Agent-Cluster', '?1'],
  [
    'Permissions-Policy',
    'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
  ],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Frame-Options', 'DENY'],
];

/** HSTS only means something over https (RFC 6797 §8.1: ignored over http). */
const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/**
 * Headers a 304 leaves out (RFC 9110 §15.4.5): content metadata, and these policies, which the
 * stored 200 already carries (a cache keeps the stored headers a 304 does not repeat, RFC 9111
 * §4.3.4). Revalidations are the commonest answer: they stay a few short lines.
 */
export const NOT_IN_304: ReadonlySet<string> = new Set([
  'content-type',
  'content-length',
  'link',
  ...SECURITY_HEADERS.map(([name]) => name.toLowerCase()),
]);

/** @example app.use(securityHeaders) */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const headers = c.res.headers;
  if (c.res.status !== 304) for (const [name, value] of SECURITY_HEADERS) headers.set(name, value);
  if (c.req.url.startsWith('https:')) {
    headers.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
  }
};
