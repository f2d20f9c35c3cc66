/**
 * Cache-Control for each kind of answer (RFC 9111 §5.2.2), from the configured lifetimes.
 * Browsers keep a representation briefly; shared caches a little longer, may serve it stale
 * while revalidating (RFC 5861) and when the origin fails. Errors are not stored, a 404 included:
 * a URL that is not published yet must answer 200 within the freshness bound once it is, in
 * every tier (docs/caching.md).
 */
/** The lifetimes the policy is made of, in seconds (the reader's Config has them). */
export interface Lifetimes {
  browserMaxAge: number;
  sharedMaxAge: number;
  staleWhileRevalidate: number;
  staleIfError: number;
}

/** @example representationCacheControl(DEFAULTS) // 'public, max-age=60, s-maxage=60, …' */
export function representationCacheControl(config: Lifetimes): string {
  return (
    `public, max-age=${config.browserMaxAge}, s-maxage=${config.sharedMaxAge}, ` +
    `stale-while-revalidate=${config.staleWhileRevalidate}, stale-if-error=${config.staleIfError}`
  );
}

/** Every error, 404 included: never stored. */
export const NO_STORE = 'no-store';
