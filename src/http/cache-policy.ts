/**
 * Cache-Control for each kind of answer (RFC 9111 §5.2.2), from the configured lifetimes.
 * Browsers keep a representation briefly; shared caches a little longer, may serve it stale
 * while revalidating (RFC 5861) and when the origin fails. Errors other than 404 are not stored.
 */
/** The lifetimes the policy is made of, in seconds (the reader's Config has them). */
export interface Lifetimes {
  browserMaxAge: number;
  sharedMaxAge: number;
  staleWhileRevalidate: number;
  staleIfError: number;
  notFoundMaxAge: number;
}

/** @example representationCacheControl(DEFAULTS) // 'public, max-age=60, s-maxage=60, …' */
export function representationCacheControl(config: Lifetimes): string {
  return (
    `public, max-age=${config.browserMaxAge}, s-maxage=${config.sharedMaxAge}, ` +
    `stale-while-revalidate=${config.staleWhileRevalidate}, stale-if-error=${config.staleIfError}`
  );
}

/** A 404 is remembered briefly, so a newly published URL appears soon. */
export function notFoundCacheControl(config: Lifetimes): string {
  return `public, max-age=${config.notFoundMaxAge}, s-maxage=${config.notFoundMaxAge}`;
}

/** 405, 406, 412 and 5xx: never stored. */
export const NO_STORE = 'no-store';
