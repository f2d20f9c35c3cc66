import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { articleKey } from '../../../src/articles/keys';
import { StoreUnavailable } from '../../../src/articles/store';
import { testApp } from '../../support/app';
import { ARTICLE_PATH, fetchWorker, ORIGIN, SLUG } from '../../support/fetch';
import { publish, shippedArticle, variantOf } from '../../support/publish';

const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('GET /articles/:slug as HTML', () => {
  for (const [label, accept] of [
    ['no Accept header', undefined],
    ['Accept: */* (what curl sends)', '*/*'],
    ["a browser's Accept", BROWSER_ACCEPT],
  ] as const) {
    it(`returns the HTML page for ${label}`, async () => {
      const res = await fetchWorker(ARTICLE_PATH, accept ? { headers: { Accept: accept } } : {});
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('Vary')).toBe('Accept');
      expect(await res.text()).toMatch(/^<!DOCTYPE html><html lang="en">/);
    });
  }

  it('is a complete semantic document with the article metadata', async () => {
    const html = await (await fetchWorker(ARTICLE_PATH)).text();
    expect(html).toContain(
      `<title>Trump Seeks To Renew Relations With Putin&#39;s Russia · kvpress</title>`,
    );
    expect(html).toMatch(
      /<meta name="description" content="Russian president Vladimir Putin has announced/,
    );
    expect(html).toContain(
      `<link rel="alternate" type="application/json" href="${ARTICLE_PATH}.json"`,
    );
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toMatch(/<main id="content">[\s\S]*<article>[\s\S]*<\/article>[\s\S]*<\/main>/);
    expect(html).toContain('<time datetime="2016-11-14">November 14, 2016</time>');
    expect(html).toContain(
      '<ul><li>BBC</li><li>RT</li><li>New York Review of Books</li><li>The New York Times</li></ul>',
    );
    expect(html).toContain('Photo credit: brando.n/Flickr');
  });

  it('shows no byline when the article has no author', async () => {
    const html = await (await fetchWorker(ARTICLE_PATH)).text();
    expect(html).not.toMatch(/>By /);
    expect(html).not.toMatch(/Author/i);
  });
});

describe('GET /articles/:slug as JSON', () => {
  it('returns the article as JSON when Accept is application/json', async () => {
    const res = await fetchWorker(ARTICLE_PATH, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(res.headers.get('Vary')).toBe('Accept');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'slug',
      'url',
      'title',
      'description',
      'lang',
      'section',
      'tags',
      'authors',
      'datePublished',
      'dateModified',
      'correction',
      'sources',
      'image',
      'wordCount',
      'contentHtml',
      'contentMarkdown',
    ]);
    expect(body).toMatchObject({
      slug: SLUG,
      url: `${ORIGIN}${ARTICLE_PATH}`,
      title: "Trump Seeks To Renew Relations With Putin's Russia",
      lang: 'en',
      section: { name: 'World', url: `${ORIGIN}/sections/world` },
      tags: [
        { name: 'Russia', url: `${ORIGIN}/tags/russia` },
        { name: 'United States', url: `${ORIGIN}/tags/united-states` },
        { name: 'Vladimir Putin', url: `${ORIGIN}/tags/vladimir-putin` },
        { name: 'Donald Trump', url: `${ORIGIN}/tags/donald-trump` },
      ],
      authors: [],
      datePublished: '2016-11-14',
      dateModified: null,
      correction: null,
      sources: ['BBC', 'RT', 'New York Review of Books', 'The New York Times'],
      image: { credit: 'brando.n/Flickr' },
    });
    expect(body.wordCount).toBe(309);
    expect(body.contentHtml).toMatch(/^<p>Russian president/);
  });

  it('prefers JSON when the client rates it above HTML', async () => {
    const res = await fetchWorker(ARTICLE_PATH, {
      headers: { Accept: 'text/html;q=0.5, application/json' },
    });
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
  });

  it('uses SITE_URL for the absolute url when it is configured', async () => {
    const res = await testApp({ SITE_URL: 'https://news.example/' }).fetch(ARTICLE_PATH, {
      headers: { Accept: 'application/json' },
    });
    expect(((await res.json()) as { url: string }).url).toBe(`https://news.example${ARTICLE_PATH}`);
  });
});

describe('unknown and malformed slugs', () => {
  it('answers an unknown slug with a 404 HTML page for browsers', async () => {
    const res = await fetchWorker('/articles/no-such-article', {
      headers: { Accept: BROWSER_ACCEPT },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('Vary')).toBe('Accept');
    expect(await res.text()).toContain('<h1>Not Found</h1>');
  });

  it('answers an unknown slug with 404 problem+json for JSON clients', async () => {
    const res = await fetchWorker('/articles/no-such-article', {
      headers: { Accept: 'application/json' },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(res.headers.get('Vary')).toBe('Accept');
    expect(await res.json()).toEqual({
      type: 'about:blank',
      status: 404,
      title: 'Not Found',
      detail: 'Nothing is published at /articles/no-such-article.',
    });
  });

  it('never reads the store for a slug that is not of the slug shape', async () => {
    // Any read would throw, and a thrown read is a 503: a 404 proves nothing was read.
    const unreadable = () => Promise.reject(new StoreUnavailable('any', 'read (injected)'));
    const app = testApp(
      {},
      {
        store: () => ({
          readVersion: unreadable,
          readIndex: unreadable,
          readArticle: unreadable,
          readHistory: unreadable,
        }),
      },
    );
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await app.fetch('/articles/Not_A_Slug')).status).toBe(404);
    expect(errors).not.toHaveBeenCalled();
    expect((await app.fetch(ARTICLE_PATH)).status).toBe(503);
    errors.mockRestore();
  });

  it.each([
    '/articles/a--b',
    '/articles/-leading',
    `/articles/${'a'.repeat(5000)}`,
    '/articles/%E0%A4%A',
    '/articles/..%2F..%2Fetc',
  ])('answers %s with 404, not an error', async (path) => {
    const res = await fetchWorker(path);
    expect(res.status).toBe(404);
  });
});

describe('HEAD /articles/:slug', () => {
  it('returns the status and headers of GET without a body', async () => {
    const get = await fetchWorker(ARTICLE_PATH);
    const head = await fetchWorker(ARTICLE_PATH, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Type')).toBe(get.headers.get('Content-Type'));
    expect(head.headers.get('Vary')).toBe('Accept');
    expect(await head.text()).toBe('');
  });

  it('returns 404 for an unknown slug', async () => {
    const head = await fetchWorker('/articles/no-such-article', { method: 'HEAD' });
    expect(head.status).toBe(404);
    expect(await head.text()).toBe('');
  });
});

describe('a broken record in KV', () => {
  it('answers 503 problem+json with Retry-After, without a stack trace', async () => {
    const [, broken] = await publish([shippedArticle, variantOf('broken-record', 'Broken.')]);
    await env.ARTICLES.put(
      articleKey('broken-record', broken?.hash ?? ''),
      '{"slug": "broken-record"}',
    );
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await testApp().fetch('/articles/broken-record', {
      headers: { Accept: 'application/json' },
    });
    expect(errors).toHaveBeenCalledTimes(1);
    errors.mockRestore();
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('30');
    const text = await res.text();
    expect(text).not.toMatch(/at .*\.ts|StoreError|stack/i);
    expect(JSON.parse(text)).toMatchObject({ status: 503, title: 'Service Unavailable' });
  });
});
