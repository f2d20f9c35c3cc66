/**
 * Cache-Control for each kind of answer (RFC 9111 §5.2.2). Short for browsers; the edge-cache
 * work refines these with edge lifetimes.
 */
export const CACHE_CONTROL = {
  /** A published representation: fresh briefly, then revalidated with its ETag. */
  representation: 'public, max-age=60',
  /** Not found: remembered briefly so a newly published URL appears soon. */
  notFound: 'public, max-age=30',
  /** 406, 405, 412 and server errors: not stored. */
  noStore: 'no-store',
} as const;
