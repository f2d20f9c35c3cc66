/**
 * The site's security headers (the reader's answers, and the publisher's API and preview pages
 * on the same origin), from hono/secure-headers: pages carry no script and load
 * nothing, so the policy allows exactly the inline stylesheet (its hash is computed at build
 * time, scripts/cli/render-version.ts). HSTS only over https (RFC 6797 §8.1: ignored over http).
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { STYLES_CSP_HASH } from '../render-version';

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

const none = ["'none'"];
const PAGE_POLICY = {
  defaultSrc: none,
  styleSrc: [STYLES_CSP_HASH],
  imgSrc: ["'self'", 'https:'],
  // Nothing on our pages fetches; tools that run in the page (Lighthouse's robots.txt check)
  // may read same-origin documents.
  connectSrc: ["'self'"],
  baseUri: none,
  formAction: none,
  frameAncestors: none,
};

const options: SecureHeadersOptions = {
  contentSecurityPolicy: PAGE_POLICY,
  crossOriginOpenerPolicy: 'same-origin',
  // Public documents: other sites' scripts may fetch them (with CORS).
  crossOriginResourcePolicy: 'cross-origin',
  crossOriginEmbedderPolicy: false,
  originAgentCluster: '?1',
  permissionsPolicy: {
    camera: [],
    microphone: [],
    geolocation: [],
    payment: [],
    usb: [],
    browsingTopics: [],
  },
  referrerPolicy: 'strict-origin-when-cross-origin',
  xDnsPrefetchControl: 'off',
  xFrameOptions: 'DENY',
  // Obsolete headers that modern browsers ignore: not sent.
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  // A handler's own value wins (a preview page sends Referrer-Policy: no-referrer).
  overwrite: false,
};

const HSTS = 'max-age=31536000; includeSubDomains';
const overHttp = secureHeaders({ ...options, strictTransportSecurity: false });
const overHttps = secureHeaders({ ...options, strictTransportSecurity: HSTS });

/** The names of the policies above: what a 304 need not repeat. */
const POLICIES = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'permissions-policy',
  'referrer-policy',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-frame-options',
];

/**
 * Headers a 304 leaves out (RFC 9110 §15.4.5): content metadata, and these policies, which the
 * stored 200 already carries (a cache keeps the stored headers a 304 does not repeat, RFC 9111
 * §4.3.4). Revalidations are the commonest answer: they stay a few short lines, and each header
 * costs workerd time to send (the bench's "baseline + headers" row).
 */
export const NOT_IN_304: ReadonlySet<string> = new Set([
  'content-type',
  'content-length',
  'link',
  ...POLICIES,
]);

/** @example app.use(securityHeaders) */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const https = c.req.url.startsWith('https:');
  if (c.res.status === 304) {
    if (https) c.res.headers.set('Strict-Transport-Security', HSTS);
    return;
  }
  // hono/secure-headers sets its headers after `next`: here, on the answer just made.
  await (https ? overHttps : overHttp)(c, async () => {});
};
