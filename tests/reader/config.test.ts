/**
 * The reader's settings (src/reader/config.ts): one schema, every value parsed once; a bad value
 * is no fallback but a 503 for every request, naming the setting and what it expects.
 */
import { describe, expect, it, vi } from 'vitest';
import { DEFAULTS, readReaderSettings } from '../../src/reader/config';
import { testApp } from '../support/app';

describe('reader settings', () => {
  it('reads the lifetimes from wrangler.toml vars', () => {
    const settings = readReaderSettings({
      BROWSER_MAX_AGE: '10',
      KV_CACHE_TTL: '45',
      EDGE_CACHE: 'off',
    });
    expect(settings.ok).toBe(true);
    if (!settings.ok) return;
    expect(settings.config.browserMaxAge).toBe(10);
    expect(settings.config.kvCacheTtl).toBe(45);
    expect(settings.config.edgeCache).toBe(false);
    // Unset values take their defaults.
    expect(settings.config.pageSize).toBe(DEFAULTS.pageSize);
  });

  it('trims values and strips a trailing slash from SITE_URL', () => {
    const settings = readReaderSettings({
      SITE_URL: ' https://news.example/ ',
      SITE_NAME: '  Daily  ',
      SITE_LANG: 'EN-gb',
      PAGE_SIZE: ' 5 ',
    });
    expect(settings.ok && settings.config).toMatchObject({
      siteUrl: 'https://news.example',
      siteName: 'Daily',
      siteLang: 'en-GB',
      pageSize: 5,
    });
  });

  it('names every value that is not allowed, with what it expects', () => {
    const settings = readReaderSettings({
      KV_CACHE_TTL: '10', // KV refuses a cacheTtl under 30
      BROWSER_MAX_AGE: 'soon',
      SITE_URL: 'https://news.example/path',
      ACTIVITYPUB_HANDLE: 'the news',
      EDGE_CACHE: 'maybe',
    });
    expect(settings.ok).toBe(false);
    if (settings.ok) return;
    expect(settings.problems).toEqual([
      { setting: 'SITE_URL', expected: 'empty, or an origin such as https://news.example.com' },
      { setting: 'BROWSER_MAX_AGE', expected: 'a whole number of at least 0' },
      { setting: 'KV_CACHE_TTL', expected: 'a whole number of at least 30' },
      { setting: 'EDGE_CACHE', expected: 'on or off' },
      {
        setting: 'ACTIVITYPUB_HANDLE',
        expected: 'letters, digits and _ (at most 30), such as news',
      },
    ]);
  });

  it('answers every request 503 naming the bad setting, logged once, in HTML and problem+json', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const app = testApp({ FEED_SIZE: '0' });
      const page = await app.fetch('/');
      expect(page.status).toBe(503);
      expect(page.headers.get('Cache-Control')).toBe('no-store');
      expect(page.headers.get('Content-Security-Policy')).toBeTruthy();
      expect(await page.text()).toContain('FEED_SIZE: expected a whole number of at least 1');
      const problem = await app.fetch('/articles/anything', {
        headers: { Accept: 'application/problem+json' },
      });
      expect(problem.status).toBe(503);
      expect(problem.headers.get('Content-Type')).toBe('application/problem+json');
      expect(await problem.json()).toMatchObject({
        status: 503,
        detail: 'The site is misconfigured: FEED_SIZE: expected a whole number of at least 1.',
      });
      const logged = error.mock.calls.filter((call) => String(call[0]).startsWith('settings:'));
      expect(logged).toHaveLength(1);
    } finally {
      error.mockRestore();
    }
  });
});
