/**
 * Reads article records from KV, validated. A record that does not match the schema is an
 * error of the store (a broken publish), never data the views should see.
 */
import * as v from 'valibot';
import { articleKey, INDEX_KEY } from './keys';
import {
  type ArticleIndex,
  ArticleIndexSchema,
  type ArticleRecord,
  ArticleRecordSchema,
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

async function readValidated<T>(
  kv: KVNamespace,
  key: string,
  schema: v.GenericSchema<unknown, T>,
): Promise<T | null> {
  const text = await kv.get(key, 'text');
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

/** @example await readArticle(env.ARTICLES, 'my-slug') // ArticleRecord, or null when unpublished */
export function readArticle(kv: KVNamespace, slug: string): Promise<ArticleRecord | null> {
  return readValidated(kv, articleKey(slug), ArticleRecordSchema);
}

/** The index, or null when nothing has been published yet. */
export function readIndex(kv: KVNamespace): Promise<ArticleIndex | null> {
  return readValidated(kv, INDEX_KEY, ArticleIndexSchema);
}
