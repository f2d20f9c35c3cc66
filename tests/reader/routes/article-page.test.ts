/**
 * The article page as readers, browsers and crawlers see it: metadata, security headers,
 * no script, one round trip.
 */
import { describe, expect, it } from 'vitest';
import { testApp } from '../../support/app';
import { ARTICLE_PATH, fetchWorker, ORIGIN } from '../../support/fetch';

const URL_ = `${ORIGIN}${ARTICLE_PATH}`;

async function page(): Promise<string> {
  return (await fetchWorker(ARTICLE_PATH)).text();
}

async function gzipSize(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

describe('metadata', () => {
  it('has an absolute canonical link, a description and alternates for every format and feed', async () => {
    const html = await page();
    expect(html).toContain(`<link rel="canonical" href="${URL_}"/>`);
    expect(html).toMatch(/<meta name="description" content="Russian president Vladimir Putin/);
    for (const [type, href] of [
      ['application/json', `${ARTICLE_PATH}.json`],
      ['text/markdown', `${ARTICLE_PATH}.md`],
      ['application/atom+xml', '/feed.xml'],
      ['application/feed+json', '/feed.json'],
    ]) {
      expect(html).toContain(`<link rel="alternate" type="${type}" href="${href}"`);
    }
    // Mastodon finds a pasted link's object by this one, and resolves no relative href.
    expect(html).toContain(`<link rel="alternate" type="application/activity+json" href="${URL_}"`);
  });

  it('uses SITE_URL for the canonical link when it is configured', async () => {
    const html = await (
      await testApp({ SITE_URL: 'https://news.example' }).fetch(ARTICLE_PATH)
    ).text();
    expect(html).toContain(`<link rel="canonical" href="https://news.example${ARTICLE_PATH}"/>`);
  });

  it('has Open Graph and Twitter card tags', async () => {
    const html = await page();
    expect(html).toContain('<meta property="og:type" content="article"/>');
    expect(html).toContain(
      `<meta property="og:title" content="Trump Seeks To Renew Relations With Putin&#39;s Russia"/>`,
    );
    expect(html).toContain(`<meta property="og:url" content="${URL_}"/>`);
    expect(html).toMatch(/<meta property="og:description" content="Russian president/);
    expect(html).toContain('<meta property="article:published_time" content="2016-11-14"/>');
    expect(html).toContain('<meta name="twitter:card" content="summary"/>');
  });

  it('embeds a NewsArticle in JSON-LD with citations and no author', async () => {
    const html = await page();
    const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
    const ld = JSON.parse(match?.[1] ?? 'null') as Record<string, unknown>;
    expect(ld).toMatchObject({
      '@type': 'NewsArticle',
      headline: "Trump Seeks To Renew Relations With Putin's Russia",
      datePublished: '2016-11-14',
      dateModified: '2016-11-14',
      mainEntityOfPage: URL_,
      publisher: { '@type': 'Organization', name: 'kvpress' },
      citation: [
        { '@type': 'CreativeWork', name: 'BBC' },
        { '@type': 'CreativeWork', name: 'RT' },
        { '@type': 'CreativeWork', name: 'New York Review of Books' },
        { '@type': 'CreativeWork', name: 'The New York Times' },
      ],
    });
    expect(ld).not.toHaveProperty('author');
  });

  it('runs no script: the only script element is the JSON-LD data block', async () => {
    const html = await page();
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/ on[a-z]+=/i);
  });

  it('stays under 14 KB gzip, one round trip', async () => {
    expect(await gzipSize(await page())).toBeLessThan(14 * 1024);
  });
});

describe('security headers', () => {
  it('sends a strict CSP that allows exactly the inline stylesheet', async () => {
    const res = await fetchWorker(ARTICLE_PATH);
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    for (const directive of [
      "default-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    const style = /<style>([\s\S]*?)<\/style>/.exec(await res.text())?.[1] ?? '';
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(style));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
  });

  it('sends nosniff, a referrer policy, a permissions policy and COOP, and no X-Powered-By', async () => {
    const res = await fetchWorker(ARTICLE_PATH);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('Permissions-Policy')).toContain('camera=()');
    expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(res.headers.get('X-Powered-By')).toBeNull();
    // Obsolete headers no current browser reads: not sent.
    for (const obsolete of [
      'X-XSS-Protection',
      'X-Download-Options',
      'X-Permitted-Cross-Domain-Policies',
    ]) {
      expect(res.headers.get(obsolete)).toBeNull();
    }
  });

  it('sends HSTS over https only', async () => {
    expect((await fetchWorker(ARTICLE_PATH)).headers.get('Strict-Transport-Security')).toBeNull();
    const https = await testApp({}, {}, 'https://secure.kvpress.test').fetch(ARTICLE_PATH);
    expect(https.headers.get('Strict-Transport-Security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });

  it('lets any origin read the public JSON (CORS) and answers a preflight', async () => {
    const res = await fetchWorker(ARTICLE_PATH, {
      headers: { Accept: 'application/json', Origin: 'https://reader.example' },
    });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('ETag');
    const preflight = await fetchWorker(ARTICLE_PATH, {
      method: 'OPTIONS',
      headers: { Origin: 'https://reader.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toBe('GET,HEAD,OPTIONS');
  });
});
