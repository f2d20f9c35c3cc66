/**
 * The fast path replays exactly what the full pipeline answered, for the same request shape,
 * and only for the version it was made from.
 */
import { describe, expect, it } from 'vitest';
import { FastPath } from '../../../src/reader/cache/fast-path';
import { testApp, uniqueOrigin } from '../../support/app';
import { ARTICLE_PATH } from '../../support/fetch';
import { publish, shippedArticle, variantOf } from '../../support/publish';

const headersOf = (res: Response) => {
  const all = Object.fromEntries(res.headers);
  delete all['cache-status'];
  delete all['server-timing'];
  return all;
};

describe('FastPath.keyOf', () => {
  const key = (url: string, init?: RequestInit) => FastPath.keyOf(new Request(url, init));

  it('keys plain GETs by URL and raw Accept, and leaves the API and other shapes alone', () => {
    expect(key('https://a.test/articles/x', { headers: { Accept: 'text/html' } })).toBe(
      'https://a.test/articles/x\ntext/html',
    );
    expect(key('https://a.test/?next=/api/articles')).toBe('https://a.test/?next=/api/articles\n');
    expect(key('https://a.test/articles/api-news')).toBeDefined();
    expect(key('https://a.test/api/articles')).toBeUndefined();
    expect(key('http://a.test:8787/api/articles/x')).toBeUndefined();
    expect(key('https://a.test/articles/x', { method: 'HEAD' })).toBeUndefined();
    expect(
      key('https://a.test/articles/x', { headers: { Authorization: 'Bearer t' } }),
    ).toBeUndefined();
    expect(key('https://a.test/articles/x', { headers: { 'If-Match': '"a"' } })).toBeUndefined();
  });
});

describe('the fast path', () => {
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

  it('never lets its internal marker out, for GET or HEAD', async () => {
    const app = testApp();
    for (const method of ['GET', 'GET', 'HEAD']) {
      const res = await app.fetch(ARTICLE_PATH, { method });
      expect([...res.headers.keys()].filter((name) => name.startsWith('x-kvpress'))).toEqual([]);
    }
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
    const app = testApp({ VERSION_MEMORY_TTL: '1' });
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
