/**
 * Driving the publisher in tests: through the reader (its /api, over the real service binding)
 * or straight into the publisher Worker with other settings (API off, short token), and reading
 * back what KV holds, as a reader would.
 */
import {
  createExecutionContext,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import * as v from 'valibot';
import { expect } from 'vitest';
import { articleKey, indexKey, indexPageKey, VERSION_KEY } from '../../src/articles/keys';
import type { ArticleRecord } from '../../src/articles/schema';
import { IndexHeadSchema, IndexPageSchema } from '../../src/articles/schema';
import publisher from '../../src/publisher/index';
import type { SiteWriter } from '../../src/publisher/site-writer';
import { buildRecords, demoArticle, shippedArticle, variantOf } from './publish';

/** The token vitest.config.ts gives the publisher. */
export const TOKEN = 'test-token-0123456789-0123456789-abcdef';
export const AUTH = { Authorization: `Bearer ${TOKEN}` };
/** The bootstrap credential, as the Worker vouches for it to the Durable Object (direct RPC tests). */
export const BOOTSTRAP = { credential: { kind: 'bootstrap' as const }, address: 'test' };

const bindings = env as unknown as PublisherBindings;

/** The site's Durable Object, as the publisher Worker addresses it. */
export function siteObject(): DurableObjectStub<SiteWriter> {
  return bindings.SITE.get(bindings.SITE.idFromName('site'));
}

/**
 * A request straight into the publisher Worker, with `vars` over its bindings (any setting,
 * optional secrets such as WEBHOOKS included).
 */
export async function publisherFetch(
  path: string,
  init: RequestInit = {},
  vars: Record<string, string> = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await publisher.fetch(
    new Request(`http://kvpress.test${path}`, init),
    { ...bindings, ...vars } as PublisherBindings,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

/** Syncs the shipped article (and `extra` documents) as `content/` would, so the object knows them. */
export async function seedSite(extra: { path: string; source: string }[] = []): Promise<void> {
  const res = await publisherFetch('/api/sync', {
    method: 'POST',
    headers: { ...AUTH, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      files: [
        { path: 'content/shipped.md', source: shippedArticle },
        { path: 'content/demo.md', source: demoArticle },
        ...extra,
      ],
      force: true,
    }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Every article the published index lists has its record in KV; the pointer names the index. */
export async function publishedSlugs(): Promise<string[]> {
  const pointer = JSON.parse((await env.ARTICLES.get(VERSION_KEY)) ?? 'null') as {
    version: string;
  };
  const head = v.parse(
    IndexHeadSchema,
    JSON.parse((await env.ARTICLES.get(indexKey(pointer.version))) ?? 'null'),
  );
  const slugs: string[] = [];
  for (const pageHash of head.pages) {
    const page = v.parse(
      IndexPageSchema,
      JSON.parse((await env.ARTICLES.get(indexPageKey(pageHash))) ?? 'null'),
    );
    for (const a of page.articles) {
      expect(
        await env.ARTICLES.get(articleKey(a.slug, a.hash)),
        `${a.slug} is in KV`,
      ).not.toBeNull();
      slugs.push(a.slug);
    }
  }
  expect(slugs).toHaveLength(head.total);
  return slugs;
}

/** Every key KV holds now. */
export async function allKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.ARTICLES.list(cursor ? { cursor } : {});
    keys.push(...page.keys.map((k) => k.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return keys;
}

/** The object's bindings, to change for one test (restored by the returned function). */
export async function changeObjectEnv(
  change: (env: PublisherBindings) => PublisherBindings,
): Promise<() => Promise<void>> {
  let before: PublisherBindings | undefined;
  await runInDurableObject(siteObject(), (instance: SiteWriter) => {
    const writable = instance as unknown as { env: PublisherBindings };
    before = writable.env;
    writable.env = change(writable.env);
  });
  return async () => {
    await runInDurableObject(siteObject(), (instance: SiteWriter) => {
      if (before) (instance as unknown as { env: PublisherBindings }).env = before;
    });
  };
}

/** A KV namespace that records writes and can fail them: `failAfter` puts succeed, then all throw. */
export function recordingKv(kv: KVNamespace, options: { failAfter?: number } = {}) {
  const puts: string[] = [];
  const deletes: string[] = [];
  let bytes = 0;
  const wrapped = {
    get: kv.get.bind(kv),
    list: kv.list.bind(kv),
    async put(key: string, value: string) {
      if (options.failAfter !== undefined && puts.length >= options.failAfter) {
        throw new Error(`KV put of ${key} failed (injected)`);
      }
      puts.push(key);
      bytes += value.length;
      await kv.put(key, value);
    },
    async delete(key: string) {
      deletes.push(key);
      await kv.delete(key);
    },
  } as unknown as KVNamespace;
  return { kv: wrapped, puts, deletes, bytes: () => bytes };
}

/** `PUT /api/articles/<slug>` with the test token, as Markdown, through `app`. */
export function apiPut(
  app: { fetch(path: string, init?: RequestInit): Promise<Response> },
  slug: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return app.fetch(`/api/articles/${slug}`, {
    method: 'PUT',
    headers: { ...AUTH, 'Content-Type': 'text/markdown', ...headers },
    body,
  });
}

/** The record of a copy of the shipped article under `slug`, with `sentence` added. */
export async function variantRecord(slug: string, sentence: string): Promise<ArticleRecord> {
  const [built] = await buildRecords([variantOf(slug, sentence)]);
  if (!built) throw new Error(`no record for ${slug}`);
  return built;
}
