/**
 * Conditional requests through the real worker (RFC 9110 §13): validators on every
 * representation, 304 with the headers a cache needs, 412 for failed preconditions.
 */
import { describe, expect, it } from 'vitest';
import { RENDER_VERSION } from '../../src/render-version';
import { testApp } from '../support/app';
import { ARTICLE_PATH, fetchWorker } from '../support/fetch';
import { publish, shippedArticle, variantOf } from '../support/publish';

const JSON_ACCEPT = { Accept: 'application/json' };

async function validatorsOf(path: string, headers: Record<string, string> = {}) {
  const res = await fetchWorker(path, { headers });
  const etag = res.headers.get('ETag') ?? '';
  const lastModified = res.headers.get('Last-Modified') ?? '';
  return { res, etag, lastModified };
}

describe('validators', () => {
  it('sends a strong ETag and Last-Modified from the publish date', async () => {
    const { etag, lastModified } = await validatorsOf(ARTICLE_PATH);
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(lastModified).toBe('Mon, 14 Nov 2016 00:00:00 GMT');
  });

  it('gives every representation of the article its own ETag', async () => {
    const tags = await Promise.all(
      ['.html', '.json', '.md', '.jsonld'].map(
        async (ext) => (await validatorsOf(ARTICLE_PATH + ext)).etag,
      ),
    );
    expect(new Set(tags).size).toBe(4);
  });

  it('changes the ETag when the published content changes', async () => {
    await publish([shippedArticle, variantOf('etag-probe', 'First.')]);
    const app = testApp({ VERSION_MAX_AGE_MS: '0' });
    const before = await app.fetch('/articles/etag-probe');
    await publish([shippedArticle, variantOf('etag-probe', 'Corrected.')]);
    const after = await app.fetch('/articles/etag-probe');
    expect(before.status).toBe(200);
    expect(after.headers.get('ETag')).not.toBe(before.headers.get('ETag'));
    const stale = await app.fetch('/articles/etag-probe', {
      headers: { 'If-None-Match': before.headers.get('ETag') ?? '' },
    });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toContain('Corrected.');
  });

  it('includes the render version, so a template change changes every ETag', async () => {
    const { etag } = await validatorsOf(ARTICLE_PATH);
    expect(etag).toContain(`.${RENDER_VERSION}.`);
  });

  it('gives the negotiated URL and the variant URL of one representation the same ETag', async () => {
    const negotiated = await validatorsOf(ARTICLE_PATH, JSON_ACCEPT);
    const variant = await validatorsOf(`${ARTICLE_PATH}.json`);
    expect(negotiated.etag).toBe(variant.etag);
  });

  it('gives the home page an ETag per representation', async () => {
    const html = await validatorsOf('/');
    const json = await validatorsOf('/', JSON_ACCEPT);
    expect(html.etag).toMatch(/^"[^"]+"$/);
    expect(json.etag).toMatch(/^"[^"]+"$/);
    expect(html.etag).not.toBe(json.etag);
    expect(html.lastModified).toBe('Mon, 14 Nov 2016 00:00:00 GMT');
  });
});

describe('If-None-Match', () => {
  it('answers a matching tag with 304, the cache headers of the 200 and no body', async () => {
    const { res: ok, etag } = await validatorsOf(ARTICLE_PATH);
    const res = await fetchWorker(ARTICLE_PATH, { headers: { 'If-None-Match': etag } });
    expect(res.status).toBe(304);
    for (const name of ['ETag', 'Vary', 'Cache-Control', 'Content-Location', 'Last-Modified']) {
      expect(res.headers.get(name), name).toBe(ok.headers.get(name));
    }
    expect(res.headers.get('Content-Type')).toBeNull();
    expect(await res.text()).toBe('');
  });

  it('leaves the page policies to the stored 200 (a cache keeps what a 304 does not repeat)', async () => {
    const { res: ok, etag } = await validatorsOf(ARTICLE_PATH);
    const res = await fetchWorker(ARTICLE_PATH, { headers: { 'If-None-Match': etag } });
    expect(res.status).toBe(304);
    for (const name of ['Content-Security-Policy', 'X-Frame-Options', 'Permissions-Policy']) {
      expect(ok.headers.get(name), name).not.toBeNull();
      expect(res.headers.get(name), name).toBeNull();
    }
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });

  it('uses the weak comparison: W/ on the client tag still matches', async () => {
    const { etag } = await validatorsOf(ARTICLE_PATH);
    const res = await fetchWorker(ARTICLE_PATH, { headers: { 'If-None-Match': `W/${etag}` } });
    expect(res.status).toBe(304);
  });

  it('matches a tag anywhere in a list', async () => {
    const { etag } = await validatorsOf(ARTICLE_PATH);
    const res = await fetchWorker(ARTICLE_PATH, {
      headers: { 'If-None-Match': `"a", W/"b",${etag} , "c"` },
    });
    expect(res.status).toBe(304);
  });

  it('answers * with 304 for a published article', async () => {
    const res = await fetchWorker(ARTICLE_PATH, { headers: { 'If-None-Match': '*' } });
    expect(res.status).toBe(304);
  });

  it('answers 304 for HEAD too', async () => {
    const { etag } = await validatorsOf(ARTICLE_PATH);
    const res = await fetchWorker(ARTICLE_PATH, {
      method: 'HEAD',
      headers: { 'If-None-Match': etag },
    });
    expect(res.status).toBe(304);
  });

  it('sends the representation when the tag is of another representation', async () => {
    const { etag: jsonTag } = await validatorsOf(ARTICLE_PATH, JSON_ACCEPT);
    const res = await fetchWorker(ARTICLE_PATH, { headers: { 'If-None-Match': jsonTag } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
  });

  it.each([
    ['an unknown tag', '"nope"'],
    ['an unquoted tag', 'nope'],
    ['garbage', ',,;;"'],
    ['an empty value', ''],
  ])('sends 200 for %s', async (_, value) => {
    const res = await fetchWorker(ARTICLE_PATH, { headers: { 'If-None-Match': value } });
    expect(res.status).toBe(200);
  });

  it('takes precedence over If-Modified-Since', async () => {
    const res = await fetchWorker(ARTICLE_PATH, {
      headers: { 'If-None-Match': '"nope"', 'If-Modified-Since': 'Fri, 01 Jan 2100 00:00:00 GMT' },
    });
    expect(res.status).toBe(200);
  });
});

describe('If-Modified-Since', () => {
  it.each([
    ['the Last-Modified date itself', 'Mon, 14 Nov 2016 00:00:00 GMT'],
    ['a later date', 'Tue, 15 Nov 2016 08:00:00 GMT'],
    ['the obsolete RFC 850 form', 'Monday, 14-Nov-16 00:00:00 GMT'],
    ['the asctime form', 'Mon Nov 14 00:00:00 2016'],
  ])('answers 304 for %s', async (_, date) => {
    const res = await fetchWorker(ARTICLE_PATH, { headers: { 'If-Modified-Since': date } });
    expect(res.status).toBe(304);
  });

  it.each([
    ['an earlier date', 'Sun, 13 Nov 2016 23:59:59 GMT'],
    ['an invalid date', 'yesterday'],
    ['a date without GMT', 'Mon, 14 Nov 2016 00:00:00'],
    ['an ISO date', '2016-11-14T00:00:00Z'],
  ])('sends 200 for %s', async (_, date) => {
    const res = await fetchWorker(ARTICLE_PATH, { headers: { 'If-Modified-Since': date } });
    expect(res.status).toBe(200);
  });
});

describe('If-Match and If-Unmodified-Since', () => {
  it('sends the representation when If-Match names its current tag', async () => {
    const { etag } = await validatorsOf(ARTICLE_PATH);
    const res = await fetchWorker(ARTICLE_PATH, { headers: { 'If-Match': etag } });
    expect(res.status).toBe(200);
  });

  it('answers 412 when If-Match names another tag, or a weak one (strong comparison)', async () => {
    const { etag } = await validatorsOf(ARTICLE_PATH);
    for (const value of ['"other"', `W/${etag}`]) {
      const res = await fetchWorker(ARTICLE_PATH, {
        headers: { 'If-Match': value, Accept: 'application/json' },
      });
      expect(res.status).toBe(412);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    }
  });

  it('answers 412 when the article changed after If-Unmodified-Since', async () => {
    const res = await fetchWorker(ARTICLE_PATH, {
      headers: { 'If-Unmodified-Since': 'Sun, 13 Nov 2016 00:00:00 GMT' },
    });
    expect(res.status).toBe(412);
  });
});
