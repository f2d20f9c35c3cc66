/**
 * The reader's security headers, from hono/secure-headers: pages carry no script and load
 * nothing, so the policy allows exactly the inline stylesheet (its hash is computed at build
 * time, scripts/render-version.ts). HSTS only over https (RFC 6797 §8.1: ignored over http).
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

import { STYLES_CSP_HASH } from '../render-version';

const none = ["'none'"];
const options: SecureHeadersOptions = {
  contentSecurityPolicy: {
    defaultSrc: none,
    styleSrc: [STYLES_CSP_HASH],
    imgSrc: ["'self'", 'https:'],
    // Nothing on our pages fetches; tools that run in the page (Lighthouse's robots.txt check)
    // may read same-origin documents.
    connectSrc: ["'self'"],
    baseUri: none,
    formAction: none,
    frameAncestors: none,
  },
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
};

const overHttp = secureHeaders({ ...options, strictTransportSecurity: false });
const overHttps = secureHeaders({
  ...options,
  strictTransportSecurity: 'max-age=31536000; includeSubDomains',
});

/** @example app.use(securityHeaders) */
export const securityHeaders: MiddlewareHandler = (c, next) =>
  (c.req.url.startsWith('https:') ? overHttps : overHttp)(c, next);

/**
 * Headers a 304 leaves out (RFC 9110 §15.4.5): the content metadata of the 200 it stands for.
 * A cache keeps the stored 200's other headers (RFC 9111 §4.3.4).
 */
export const NOT_IN_304: ReadonlySet<string> = new Set(['content-type', 'content-length', 'link']);
