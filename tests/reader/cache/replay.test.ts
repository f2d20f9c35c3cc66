/**
 * Aliases replay exactly what the full pipeline answered, for the same request shape, only for
 * the version they were made from; and everything the cache holds stays within
 * MEMORY_CACHE_BYTES.
 */
import { describe, expect, it } from 'vitest';
import type { BodyStore } from '../../../src/reader/cache/body-store';
import { aliasOf, REPLAYABLE_HEADERS } from '../../../src/reader/cache/replay';
import { testApp, uniqueOrigin } from '../../support/app';
import { ARTICLE_PATH } from '../../support/fetch';
import { publish, shippedArticle, variantOf } from '../../support/publish';

const headersOf = (res: Response) => {
  const all = Object.fromEntries(res.headers);
  delete all['cache-status'];
  delete all['server-timing'];
  return all;
};

describe('aliasOf', () => {
  const alias = (url: string, init?: RequestInit) => aliasOf(new Request(url, init));

  it('names plain GETs by URL and raw Accept, and leaves the API and other shapes alone', () => {
    expect(alias('https://a.test/articles/x', { headers: { Accept: 'text/html' } })).toBe(
      'https://a.test/articles/x\ntext/html',
    );
    expect(alias('https://a.test/articles/api-news')).toBeDefined();
    expect(alias('https://a.test/api/articles')).toBeUndefined();
    expect(alias('http://a.test:8787/api/articles/x')).toBeUndefined();
    expect(alias('https://a.test/articles/x', { method: 'HEAD' })).toBeUndefined();
  });

  it('keeps only the query a route uses: ?page on the home page, nothing elsewhere', () => {
    expect(alias('https://a.test/?utm_source=x&page=2&ref=y')).toBe('https://a.test/?page=2\n');
    expect(alias('https://a.test/?utm_source=x')).toBe('https://a.test/\n');
    expect(alias('https://a.test/articles/x?page=2&utm_source=x')).toBe(
      'https://a.test/articles/x\n',
    );
    expect(alias('https://a.test/feed.xml?next=/api/articles')).toBe('https://a.test/feed.xml\n');
  });

  it('is an allow-list: any request header not on it takes the full pipeline', () => {
    for (const name of [
      'Accept-Language',
      'Cookie',
      'Origin',
      'Authorization',
      'Range',
      'If-Match',
      'If-Modified-Since',
      'If-Unmodified-Since',
      'Referer',
      'X-Anything-New',
    ]) {
      expect(alias('https://a.test/', { headers: { [name]: 'x' } }), name).toBeUndefined();
    }
    const transport = { 'User-Agent': 'curl/8', 'Accept-Encoding': 'gzip', 'CF-Ray': '1-LHR' };
    expect(alias('https://a.test/', { headers: { ...transport, 'If-None-Match': '"a"' } })).toBe(
      'https://a.test/\n',
    );
    expect([...REPLAYABLE_HEADERS]).not.toContain('accept-language');
  });
});

describe('replay from an alias', () => {
  it('replays the full pipeline answer: same status, headers and bytes', async () => {
    const app = testApp();
    const init = { headers: { Accept: 'application/json' } };
    const full = await app.fetch(ARTICLE_PATH, init);
    const fullBody = await full.text();
    const replay = await app.fetch(ARTICLE_PATH, init);
    expect(replay.headers.get('Cache-Status')).toBe('kvpress; hit; detail=memory');
    expect(replay.headers.get('Server-Timing')).toBeNull();
    expect(headersOf(replay)).toEqual(headersOf(full));
    expect(await replay.text()).toBe(fullBody);
  });

  it('sends no internal header, for GET or HEAD, made or replayed', async () => {
    const app = testApp();
    for (const method of ['GET', 'GET', 'HEAD']) {
      const res = await app.fetch(ARTICLE_PATH, { method });
      expect([...res.headers.keys()].filter((name) => name.startsWith('x-'))).toEqual([
        'x-content-type-options',
        'x-dns-prefetch-control',
        'x-frame-options',
      ]);
    }
  });

  it('is not used for a request with a header off the allow-list (Accept-Language, Cookie)', async () => {
    const app = testApp();
    await app.fetch(ARTICLE_PATH);
    for (const headers of [{ 'Accept-Language': 'fr' }, { Cookie: 'a=b' }] as Record<
      string,
      string
    >[]) {
      const res = await app.fetch(ARTICLE_PATH, { headers });
      expect(res.status).toBe(200);
      // The body store answers (from memory) but through Hono: Server-Timing is the pipeline's.
      expect(res.headers.get('Server-Timing')).not.toBeNull();
    }
    expect((await app.fetch(ARTICLE_PATH)).headers.get('Server-Timing')).toBeNull();
  });

  it('ignores unused query parameters: utm_ values neither make entries nor change the answer', async () => {
    const app = testApp();
    const plain = await (await app.fetch(ARTICLE_PATH)).text();
    const store = app.bodyStore() as BodyStore;
    const before = store.usage.entries;
    for (let i = 0; i < 20; i += 1) {
      const res = await app.fetch(`${ARTICLE_PATH}?utm_source=n${i}&utm_medium=x`);
      expect(await res.text()).toBe(plain);
    }
    expect(store.usage.entries).toBe(before);
  });

  it('keys on the raw Accept: another Accept gets its own, right, representation', async () => {
    const app = testApp();
    await app.fetch(ARTICLE_PATH, { headers: { Accept: 'text/markdown' } });
    await app.fetch(ARTICLE_PATH, { headers: { Accept: 'text/markdown' } });
    const json = await app.fetch(ARTICLE_PATH, { headers: { Accept: 'application/json' } });
    expect(json.headers.get('Content-Type')).toBe('application/json');
  });

  it('stops replaying an answer once a newer version is published', async () => {
    await publish([shippedArticle, variantOf('fast-probe', 'Before.')]);
    const app = testApp({ VERSION_MAX_AGE_MS: '1000' });
    await app.fetch('/articles/fast-probe');
    expect(await (await app.fetch('/articles/fast-probe')).text()).toContain('Before.');
    await publish([shippedArticle, variantOf('fast-probe', 'After.')]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const res = await app.fetch('/articles/fast-probe');
    expect(await res.text()).toContain('After.');
  });

  it('answers If-None-Match with the same 304 the full pipeline gives', async () => {
    const origin = uniqueOrigin(); // ETags include the origin written into bodies: one origin
    const full = testApp({}, {}, origin);
    const etag = (await full.fetch(ARTICLE_PATH)).headers.get('ETag') ?? '';
    const fromPipeline = await testApp({}, { edgeCache: () => undefined }, origin).fetch(
      ARTICLE_PATH,
      { headers: { 'If-None-Match': etag } },
    );
    const app = testApp({}, {}, origin);
    await app.fetch(ARTICLE_PATH);
    const replayed = await app.fetch(ARTICLE_PATH, {
      headers: { 'If-None-Match': `"x", W/${etag}` },
    });
    expect(replayed.status).toBe(304);
    // Answered from the alias, before Hono: the pipeline's Server-Timing is not there.
    expect(replayed.headers.get('Server-Timing')).toBeNull();
    expect(fromPipeline.status).toBe(304);
    expect(headersOf(replayed)).toEqual(headersOf(fromPipeline));
    expect(await replayed.text()).toBe('');
    const other = await app.fetch(ARTICLE_PATH, { headers: { 'If-None-Match': '"other"' } });
    expect(other.status).toBe(200);
  });

  it('leaves If-Match and If-Modified-Since to the full pipeline', async () => {
    const app = testApp();
    await app.fetch(ARTICLE_PATH);
    await app.fetch(ARTICLE_PATH);
    const res = await app.fetch(ARTICLE_PATH, { headers: { 'If-Match': '"other"' } });
    expect(res.status).toBe(412);
  });
});

describe('MEMORY_CACHE_BYTES', () => {
  it('bounds everything the cache holds in the isolate: bodies, newest-copy pointers and aliases', async () => {
    const budget = 64 * 1024;
    const slugs = Array.from({ length: 12 }, (_, i) => `bound-probe-${i}`);
    await publish([shippedArticle, ...slugs.map((slug) => variantOf(slug, `Probe ${slug}.`))]);
    const app = testApp({ MEMORY_CACHE_BYTES: String(budget) }, { edgeCache: () => undefined });
    const accepts = ['', 'text/html', 'application/json', 'application/json, text/plain, */*'];
    const paths = [
      '/',
      '/feed.xml',
      '/feed.json',
      ...slugs.flatMap((slug) => [`/articles/${slug}`, `/articles/${slug}.md`]),
    ];
    let served = 0;
    for (let round = 0; round < 2; round += 1) {
      for (const path of paths) {
        for (const accept of accepts) {
          const res = await app.fetch(path, { headers: accept ? { Accept: accept } : {} });
          expect(res.status).toBe(200);
          served += (await res.arrayBuffer()).byteLength;
        }
      }
    }
    // The workload is many times the budget, so the store must have evicted.
    expect(served).toBeGreaterThan(10 * budget);
    const store = app.bodyStore() as BodyStore;
    expect(store.usage.maxBytes).toBe(budget);
    // Weighed here, independently of the store's own accounting: the bytes of every body and
    // every header string held, bodies and aliases alike.
    let held = 0;
    const kinds = new Set<string>();
    for (const [key, entry] of store.held()) {
      kinds.add(entry.kind);
      held += key.length;
      if (entry.kind === 'body') {
        held += entry.stored.body.byteLength;
        for (const [name, value] of entry.stored.headers) held += name.length + value.length;
      } else if (entry.kind === 'alias') {
        entry.alias.headers.forEach((value, name) => {
          held += name.length + value.length;
        });
      } else held += entry.key.length;
    }
    expect([...kinds].sort()).toEqual(['alias', 'body', 'newest']);
    expect(held).toBeLessThanOrEqual(budget);
    expect(store.usage.bytes).toBeGreaterThanOrEqual(held);
    expect(store.usage.bytes).toBeLessThanOrEqual(budget);
  });
});
