import { describe, expect, it, vi } from 'vitest';
import { DEFAULTS, readConfig } from '../../src/reader/config';

describe('readConfig', () => {
  it('reads the lifetimes from wrangler.toml vars', () => {
    const config = readConfig({ BROWSER_MAX_AGE: '10', KV_CACHE_TTL: '45', EDGE_CACHE: 'off' });
    expect(config.browserMaxAge).toBe(10);
    expect(config.kvCacheTtl).toBe(45);
    expect(config.edgeCache).toBe(false);
  });

  it('falls back to the default, with a warning, for a value that is not allowed', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const config = readConfig({ KV_CACHE_TTL: '10', BROWSER_MAX_AGE: 'soon' });
    expect(config.kvCacheTtl).toBe(DEFAULTS.kvCacheTtl); // KV refuses a cacheTtl under 30
    expect(config.browserMaxAge).toBe(DEFAULTS.browserMaxAge);
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('strips a trailing slash from SITE_URL', () => {
    expect(readConfig({ SITE_URL: 'https://news.example/' }).siteUrl).toBe('https://news.example');
  });
});
