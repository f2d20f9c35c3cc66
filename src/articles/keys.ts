/**
 * The KV key scheme, in one place. The `v1:` prefix lets a future record shape be written
 * beside the current one and switched over atomically by changing the prefix.
 */
export const KEY_PREFIX = 'v1:';

/** Key of one article record: `v1:article:<slug>`. */
export const articleKey = (slug: string): string => `${KEY_PREFIX}article:${slug}`;

/** Key of the index record (every published article, newest first). */
export const INDEX_KEY = `${KEY_PREFIX}index`;

/**
 * Key of the version record: the index hash, written after everything else at publish time.
 * Read on every request (cheaply: short cacheTtl, memoised per isolate) to key the caches.
 */
export const VERSION_KEY = `${KEY_PREFIX}version`;
