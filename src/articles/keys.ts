/**
 * The KV key scheme, in one place. Every value is immutable and named by its content hash,
 * except one small pointer, the version record, which names the published index. A publish
 * writes new records, then their index, then flips the pointer; readers therefore never see
 * an index without its records, and every immutable value can be cached at the edge for as
 * long as we like (KV's edge cache cannot serve a stale value of a key that never changes).
 * The `v1:` prefix lets a future record shape be written beside this one.
 */
export const KEY_PREFIX = 'v1:';

/** One revision of an article: `v1:article:<slug>:<hash>`. */
export const articleKey = (slug: string, hash: string): string =>
  `${KEY_PREFIX}article:${slug}:${hash}`;

/** The head of one published index (its pages, in order): `v1:index:<hash>`. */
export const indexKey = (hash: string): string => `${KEY_PREFIX}index:${hash}`;

/** One page of summaries of an index: `v1:index-page:<hash>`. */
export const indexPageKey = (hash: string): string => `${KEY_PREFIX}index-page:${hash}`;

/** The pointer to the published index: `{ "version": "<index hash>" }`. The only mutable key. */
export const VERSION_KEY = `${KEY_PREFIX}version`;

/**
 * Where the publisher answers the current version (CurrentVersionSchema) to the reader, over the
 * service binding only: the reader forwards no such path from the public.
 */
export const CURRENT_VERSION_PATH = '/_kvpress/version';

/** One KV write: a key and its JSON value. */
export interface KvEntry {
  key: string;
  value: string;
}
