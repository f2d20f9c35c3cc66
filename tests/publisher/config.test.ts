/**
 * The publisher's settings (src/publisher/config.ts): each parsed, trimmed and defaulted in one
 * place; a bad one is named with what it expects, never replaced by a default.
 */
import { describe, expect, it } from 'vitest';
import { describeProblems, readPublisherConfig } from '../../src/publisher/config';

const read = (vars: Record<string, string>) => readPublisherConfig({ ...vars });

describe('publisher settings', () => {
  it('defaults what is unset', () => {
    const result = read({});
    expect(result).toEqual({
      ok: true,
      config: {
        siteUrl: '',
        siteName: 'kvpress',
        siteLang: 'en',
        gcGraceSeconds: 3600,
        pointerIntervalMs: 1000,
        webhookRetryMs: 10_000,
        announceAfterMs: 3_000,
        webhooks: [],
        activityPub: { allowPrivate: false },
        localSignIn: false,
        siteTimeZone: 'UTC',
      },
    });
  });

  it('takes SITE_TIMEZONE as an IANA zone and refuses what is not one', () => {
    const london = read({ SITE_TIMEZONE: 'Europe/London' });
    expect(london.ok && london.config.siteTimeZone).toBe('Europe/London');
    const wrong = read({ SITE_TIMEZONE: 'Mars/Olympus' });
    expect(wrong.ok ? [] : wrong.problems.map((p) => p.setting)).toEqual(['SITE_TIMEZONE']);
  });

  it('takes Cloudflare Access as a pair, with the team keys by default and a test URL only on loopback', () => {
    const access = {
      ACCESS_TEAM_DOMAIN: 'https://team.cloudflareaccess.com/',
      ACCESS_AUD: 'aud-tag',
    };
    const both = read(access);
    expect(both.ok && both.config.access).toEqual({
      teamDomain: 'https://team.cloudflareaccess.com',
      audience: 'aud-tag',
      certsUrl: 'https://team.cloudflareaccess.com/cdn-cgi/access/certs',
    });
    const half = read({ ACCESS_TEAM_DOMAIN: 'https://team.cloudflareaccess.com' });
    expect(half.ok ? [] : half.problems.map((p) => p.setting)).toEqual(['ACCESS_AUD']);
    const elsewhere = read({ ...access, ACCESS_CERTS_URL: 'https://evil.example/certs' });
    expect(elsewhere.ok ? [] : elsewhere.problems.map((p) => p.setting)).toEqual([
      'ACCESS_CERTS_URL',
    ]);
  });

  it('trims, canonicalizes and parses what is set', () => {
    const result = read({
      SITE_URL: ' https://news.example/ ',
      SITE_NAME: '  The Daily  ',
      SITE_LANG: 'en-gb',
      PUBLISH_TOKEN: 'a'.repeat(32),
      GC_GRACE_SECONDS: '60',
      POINTER_INTERVAL_MS: '0',
      WEBHOOKS: '[{"url":"https://hooks.example/a","secret":"0123456789abcdef"}]',
      ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS: 'true',
    });
    expect(result.ok && result.config).toMatchObject({
      siteUrl: 'https://news.example',
      siteName: 'The Daily',
      siteLang: 'en-GB',
      publishToken: 'a'.repeat(32),
      gcGraceSeconds: 60,
      pointerIntervalMs: 0,
      webhooks: [{ url: 'https://hooks.example/a', secret: '0123456789abcdef' }],
      activityPub: { allowPrivate: true },
    });
  });

  it('names every bad setting and what it expects', () => {
    const result = read({
      SITE_URL: 'https://news.example/path',
      SITE_LANG: 'not a language',
      PUBLISH_TOKEN: 'short',
      GC_GRACE_SECONDS: '-1',
      WEBHOOK_RETRY_MS: '0',
      WEBHOOKS: '[{"url":"ftp://x","secret":"s"}]',
      ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS: 'yes',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.setting)).toEqual([
      'SITE_URL',
      'SITE_LANG',
      'PUBLISH_TOKEN',
      'GC_GRACE_SECONDS',
      'WEBHOOK_RETRY_MS',
      'WEBHOOKS',
      'ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS',
    ]);
    const text = describeProblems(result.problems);
    expect(text).toContain(
      'SITE_URL: expected empty, or an origin such as https://news.example.com',
    );
    expect(text).toContain('PUBLISH_TOKEN: expected at least 32 characters');
    expect(text).toContain('WEBHOOK_RETRY_MS: expected a whole number of at least 1');
    expect(text).toContain('ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS: expected true or false');
    // Never the values themselves: a setting may be a secret.
    expect(text).not.toContain('short');
  });
});
