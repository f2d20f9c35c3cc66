/**
 * Reads the published site from KV: validated records, bounded in time. A value that does not
 * match the schema is a broken publish (StoreError); a read that throws or misses its deadline
 * is an outage (StoreUnavailable). Routes never see raw KV.
 */
import * as v from 'valibot';
import { articleKey, indexKey, indexPageKey, VERSION_KEY } from './keys';
import {
  type ArticleIndex,
  type ArticleRecord,
  ArticleRecordSchema,
  IndexHeadSchema,
  IndexPageSchema,
  type SiteVersion,
  SiteVersionSchema,
} from './schema';

/** A stored value is not what the schema says it must be. */
export class StoreError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`KV value ${key} is invalid: ${reason}`);
    this.name = 'StoreError';
  }
}

/** KV did not answer: it threw, or it was slower than the deadline. */
export class StoreUnavailable extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`KV read of ${key} failed: ${reason}`);
    this.name = 'StoreUnavailable';
  }
}

/** What the worker reads. Injectable so tests can make it slow, throw or lie. */
export interface ArticleStore {
  /** The KV pointer: the published version (the index hash) and its commit, or null before the first. */
  readVersion(): Promise<SiteVersion | null>;
  /** The index of a version (its head, then its pages in parallel). Immutable. */
  readIndex(version: string): Promise<ArticleIndex | null>;
  /** One revision of an article, named by the hash the index gives it. Immutable. */
  readArticle(slug: string, hash: string): Promise<ArticleRecord | null>;
}

/** The one KV call the store makes. KVNamespace satisfies it, and so do the publish CLI's targets. */
export interface KvReader {
  get(key: string, options: { type: 'text'; cacheTtl?: number }): Promise<string | null>;
}

export interface KvStoreOptions {
  /** KV `cacheTtl` for immutable values, records and indexes (s, ≥ 30): safe to be long. */
  cacheTtl: number;
  /** KV `cacheTtl` for the version pointer (s, ≥ 30): part of the freshness bound. */
  versionCacheTtl: number;
  /** Milliseconds a read may take before it counts as failed. */
  deadlineMs: number;
}

/** @example createKvStore(env.ARTICLES, { cacheTtl: 86400, versionCacheTtl: 30, deadlineMs: 2000 }) */
export function createKvStore(kv: KvReader, options: KvStoreOptions): ArticleStore {
  const read = <T>(key: string, schema: v.GenericSchema<unknown, T>, cacheTtl: number) =>
    readValidated(kv, key, schema, cacheTtl, options.deadlineMs);
  return {
    async readVersion() {
      return read(VERSION_KEY, SiteVersionSchema, options.versionCacheTtl);
    },
    async readIndex(version) {
      const head = await read(indexKey(version), IndexHeadSchema, options.cacheTtl);
      if (!head) return null;
      const pages = await Promise.all(
        head.pages.map(async (hash) => {
          const page = await read(indexPageKey(hash), IndexPageSchema, options.cacheTtl);
          if (!page) {
            throw new StoreUnavailable(
              indexPageKey(hash),
              `named by ${indexKey(version)} but not in KV`,
            );
          }
          return page.articles;
        }),
      );
      return { hash: head.hash, articles: pages.flat() };
    },
    readArticle: (slug, hash) =>
      read(articleKey(slug, hash), ArticleRecordSchema, options.cacheTtl),
  };
}

async function readValidated<T>(
  kv: KvReader,
  key: string,
  schema: v.GenericSchema<unknown, T>,
  cacheTtl: number,
  deadlineMs: number,
): Promise<T | null> {
  const text = await withDeadline(key, kv.get(key, { type: 'text', cacheTtl }), deadlineMs);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StoreError(key, 'not JSON');
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) {
    const problems = parsed.issues.map(
      (issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`,
    );
    throw new StoreError(key, problems.join('; '));
  }
  return parsed.output;
}

async function withDeadline<T>(key: string, read: Promise<T>, deadlineMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailable(key, `no answer within ${deadlineMs} ms`)),
      deadlineMs,
    );
  });
  try {
    return await Promise.race([read, deadline]);
  } catch (error) {
    if (error instanceof StoreUnavailable) throw error;
    throw new StoreUnavailable(key, error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}
