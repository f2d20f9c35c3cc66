/**
 * The caching tiers inside workerd, against the real local KV and the real Cache API.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { articleKey } from '../../../src/articles/keys';
import { createKvStore } from '../../../src/articles/store';
import { testApp, uniqueOrigin } from '../../support/app';
import { switchableKv, throwingCache } from '../../support/faults';
import { ARTICLE_PATH } from '../../support/fetch';
import { publish, shippedArticle, variantOf } from '../../support/publish';

const REPRESENTATIONS = [
  ['text/html', 'text/html; charset=utf-8'],
  ['application/json', 'application/json'],
  ['text/markdown', 'text/markdown; charset=utf-8'],
  ['application/ld+json', 'application/ld+json'],
] as const;

const BROWSER_ACCEPTS = [
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8',
  'text/html, application/xhtml+xml, image/jxr, */*',
  '*/*',
  'text/html',
  'text/html;q=0.9, */*;q=0.1',
  'TEXT/HTML',
];

describe('hit after miss', () => {
  it.each(REPRESENTATIONS)('serves %s from memory on the second request', async (accept, type) => {
    const app = testApp();
    const first = await app.fetch(ARTICLE_PATH, { headers: { Accept: accept } });
    const second = await app.fetch(ARTICLE_PATH, { headers: { Accept: accept } });
    expect(first.headers.get('Cache-Status')).toBe('kvpress; fwd=miss; stored');
    expect(second.headers.get('Cache-Status')).toBe('kvpress; hit; detail=memory');
    expect(second.headers.get('Content-Type')).toBe(type);
    expect(second.headers.get('ETag')).toBe(first.headers.get('ETag'));
    expect(await second.text()).toBe(await first.text());
  });

  it('serves from the Cache API when the isolate memory is cold', async () => {
    const origin = `http://edge-${Date.now()}.kvpress.test`;
    const warm = testApp({}, {}, origin);
    const stored = await warm.fetch(ARTICLE_PATH);
    const cold = testApp({}, {}, origin); // a new isolate: empty memory, same data centre
    const hit = await cold.fetch(ARTICLE_PATH);
    expect(stored.headers.get('Cache-Status')).toBe('kvpress; fwd=miss; stored');
    expect(hit.headers.get('Cache-Status')).toBe('kvpress; hit; detail=edge');
    expect(hit.headers.get('Cache-Control')).toBe(stored.headers.get('Cache-Control'));
    expect(hit.headers.get('Age')).toBeNull();
    expect(await hit.text()).toBe(await stored.text());
  });
});

describe('keys name the representation', () => {
  it('never crosses representations when HTML, JSON and Markdown alternate on a warm cache', async () => {
    const app = testApp();
    const seen = new Map<string, { etag: string | null; body: string }>();
    for (let round = 0; round < 5; round++) {
      for (const [accept, type] of REPRESENTATIONS) {
        const res = await app.fetch(ARTICLE_PATH, { headers: { Accept: accept } });
        expect(res.headers.get('Content-Type')).toBe(type);
        const body = await res.text();
        const first = seen.get(type);
        if (first) {
          expect(res.headers.get('Cache-Status')).toMatch(/hit/);
          expect(res.headers.get('ETag')).toBe(first.etag);
          expect(body).toBe(first.body);
        } else seen.set(type, { etag: res.headers.get('ETag'), body });
      }
    }
    expect(new Set([...seen.values()].map((s) => s.etag)).size).toBe(4);
  });

  it('lets many distinct browser Accept strings share one cached HTML entry', async () => {
    const app = testApp();
    const statuses: (string | null)[] = [];
    for (const accept of BROWSER_ACCEPTS) {
      const res = await app.fetch(ARTICLE_PATH, { headers: { Accept: accept } });
      expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
      statuses.push(res.headers.get('Cache-Status'));
    }
    expect(statuses[0]).toBe('kvpress; fwd=miss; stored');
    expect(statuses.slice(1).every((s) => s === 'kvpress; hit; detail=memory')).toBe(true);
  });
});

describe('conditional requests and HEAD with the cache', () => {
  it('answers If-None-Match with 304 from the cache', async () => {
    const app = testApp();
    const etag = (await app.fetch(ARTICLE_PATH)).headers.get('ETag') ?? '';
    const res = await app.fetch(ARTICLE_PATH, { headers: { 'If-None-Match': etag } });
    expect(res.status).toBe(304);
    expect(res.headers.get('Cache-Status')).toBe('kvpress; hit; detail=memory');
    expect(res.headers.get('ETag')).toBe(etag);
    expect(res.headers.get('Vary')).toBe('Accept');
  });

  it('does not store anything for a 304 answered on a miss', async () => {
    const origin = uniqueOrigin();
    const app = testApp({}, {}, origin);
    const etag =
      (await testApp({}, { edgeCache: () => undefined }, origin).fetch(ARTICLE_PATH)).headers.get(
        'ETag',
      ) ?? '';
    const conditional = await app.fetch(ARTICLE_PATH, { headers: { 'If-None-Match': etag } });
    expect(conditional.status).toBe(304);
    expect(conditional.headers.get('Cache-Status')).toBe('kvpress; fwd=miss');
    const next = await app.fetch(ARTICLE_PATH);
    expect(next.headers.get('Cache-Status')).toBe('kvpress; fwd=miss; stored');
  });

  it('never stores an empty body for HEAD: a GET after a HEAD gets the whole page', async () => {
    const app = testApp();
    const head = await app.fetch(ARTICLE_PATH, { method: 'HEAD' });
    const get = await app.fetch(ARTICLE_PATH);
    const body = await get.text();
    expect(head.status).toBe(200);
    expect(get.headers.get('Cache-Status')).toBe('kvpress; hit; detail=memory');
    expect(body).toMatch(/^<!DOCTYPE html>/);
    expect(String(new TextEncoder().encode(body).byteLength)).toBe(
      head.headers.get('Content-Length'),
    );
  });
});

describe('headers for downstream caches', () => {
  it('sends the configured lifetimes, Cache-Tag and Server-Timing', async () => {
    const app = testApp({ BROWSER_MAX_AGE: '30', SHARED_MAX_AGE: '90' });
    const res = await app.fetch(ARTICLE_PATH);
    expect(res.headers.get('Cache-Control')).toBe(
      'public, max-age=30, s-maxage=90, stale-while-revalidate=60, stale-if-error=86400',
    );
    expect(res.headers.get('Cache-Tag')).toBe(
      'kvpress,article:trump-seeks-to-renew-relations-with-putins-russia',
    );
    expect(res.headers.get('Server-Timing')).toMatch(/kv;dur=\d+(\.\d)?/);
  });

  it('lets no cache store a 404 (it may be published the next second) or a 406', async () => {
    const app = testApp();
    const missing = await app.fetch('/articles/no-such-article');
    expect(missing.headers.get('Cache-Control')).toBe('no-store');
    const variant = await app.fetch('/articles/no-such-article.json');
    expect(variant.status).toBe(404);
    expect(variant.headers.get('Cache-Control')).toBe('no-store');
    const refused = await app.fetch(ARTICLE_PATH, { headers: { Accept: 'image/png' } });
    expect(refused.status).toBe(406);
    expect(refused.headers.get('Cache-Control')).toBe('no-store');
  });
});

describe('freshness after publish', () => {
  it('never serves the old body or ETag once the bound (VERSION_MAX_AGE_MS) has passed', async () => {
    const slug = 'freshness-probe';
    await publish([shippedArticle, variantOf(slug, 'First version.')]);
    const app = testApp({ VERSION_MAX_AGE_MS: '1000' });
    const path = `/articles/${slug}`;

    const before = new Map<string, { etag: string | null; body: string }>();
    for (const [accept] of REPRESENTATIONS) {
      const res = await app.fetch(path, { headers: { Accept: accept } });
      before.set(accept, { etag: res.headers.get('ETag'), body: await res.text() });
    }
    expect(before.get('application/json')?.body).toContain('First version.');

    await publish([shippedArticle, variantOf(slug, 'Second version.')]);
    const published = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the bound: VERSION_MAX_AGE_MS

    // Every request after the bound, every representation, several times over.
    for (let round = 0; round < 3; round++) {
      for (const [accept] of REPRESENTATIONS) {
        const res = await app.fetch(path, { headers: { Accept: accept } });
        const body = await res.text();
        expect(res.headers.get('ETag')).not.toBe(before.get(accept)?.etag);
        // JSON-LD carries no body text: its new ETag is what proves it is the new version.
        if (accept === 'application/ld+json') continue;
        expect(body).not.toBe(before.get(accept)?.body);
        expect(body).toContain('Second version.');
        expect(body).not.toContain('First version.');
      }
    }
    const home = await app.fetch('/', { headers: { Accept: 'application/json' } });
    expect(await home.text()).toContain(slug);
    expect(Date.now() - published).toBeGreaterThanOrEqual(1_000);
  });
});

describe('faults', () => {
  function faultyApp() {
    const switchable = switchableKv();
    const app = testApp(
      { KV_DEADLINE_MS: '50', VERSION_MAX_AGE_MS: '1000' },
      {
        store: (_env, config) =>
          createKvStore(switchable.kv, {
            cacheTtl: config.kvCacheTtl,
            versionCacheTtl: config.versionKvCacheTtl,
            deadlineMs: config.kvDeadlineMs,
          }),
      },
    );
    return { app, setKv: switchable.set };
  }

  it.each(['throw', 'hang'] as const)(
    'serves the cached copy when KV reads %s (stale-if-error)',
    async (mode) => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const { app, setKv } = faultyApp();
      const warm = await app.fetch(ARTICLE_PATH);
      const body = await warm.text();
      setKv(mode);
      // Once the version memo expires the worker must ask KV again, and KV fails.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const res = await app.fetch(ARTICLE_PATH);
      expect(res.headers.get('Cache-Status')).toBe(
        'kvpress; fwd=stale; detail="store unavailable"',
      );
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(body);
      expect(errors).not.toHaveBeenCalledWith(expect.stringMatching(/at .*\.ts/));
      errors.mockRestore();
    },
  );

  it.each(['throw', 'hang'] as const)(
    'answers 503 problem+json with Retry-After when KV reads %s and nothing is cached',
    async (mode) => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const { app, setKv } = faultyApp();
      setKv(mode);
      const res = await app.fetch(ARTICLE_PATH, { headers: { Accept: 'application/json' } });
      expect(res.status).toBe(503);
      expect(res.headers.get('Retry-After')).toBe('10');
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      const text = await res.text();
      expect(text).not.toMatch(/\.ts:\d+|Error:/);
      const logged = errors.mock.calls.map((call) => String(call[0]));
      expect(logged).toEqual([
        expect.stringMatching(/^GET \/articles\/\S+: KV read of v1:version failed: /),
      ]);
      errors.mockRestore();
    },
  );

  it('serves the previous copy when a new version is published but its record cannot be read', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await publish([shippedArticle, variantOf('stale-probe', 'Old words.')]);
    const { app, setKv } = faultyApp();
    const old = await (await app.fetch('/articles/stale-probe')).text();
    await publish([shippedArticle, variantOf('stale-probe', 'New words.')]);
    setKv('throw', 'v1:article:');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const res = await app.fetch('/articles/stale-probe');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Status')).toBe('kvpress; fwd=stale; detail="store unavailable"');
    expect(await res.text()).toBe(old);
    expect(errors).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });

  it('answers 503 when the index names a record that is not in KV and nothing is cached', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const [, missing] = await publish([shippedArticle, variantOf('missing-record', 'Gone.')]);
    await env.ARTICLES.delete(articleKey('missing-record', missing?.hash ?? ''));
    const res = await testApp().fetch('/articles/missing-record', {
      headers: { Accept: 'application/json' },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('10');
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/listed in the index but not in KV/);
    expect(errors).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });

  it('serves from KV when the Cache API throws on match and on put', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = testApp({ MEMORY_CACHE_BYTES: '0' }, { edgeCache: throwingCache });
    const res = await app.fetch(ARTICLE_PATH);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^<!DOCTYPE html>/);
    const messages = errors.mock.calls.map(([message]) => String(message));
    expect(messages.some((m) => m.includes('match failed'))).toBe(true);
    expect(messages.some((m) => m.includes('put failed'))).toBe(true);
    errors.mockRestore();
  });
});
