/**
 * Private previews, end to end through the reader: a link made through the API shows a draft (or
 * a scheduled article) without the token, exactly as the page will be, marked as a preview and
 * kept out of every cache; a tampered, expired or revoked link is a 404 that reveals nothing.
 * The link's key is its fragment (/preview#<key>): the page at /preview posts it, so no request
 * line, and so no request log, ever holds it.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../support/app';
import { variantOf } from '../support/publish';
import { AUTH, apiPut, seedSite } from '../support/publisher';

const api = () => testApp({ VERSION_MAX_AGE_MS: '0' });
const asDraft = (slug: string, sentence: string) =>
  variantOf(slug, sentence).replace(/\n---\n/, '\ndraft: true\n---\n');

async function makeLink(app: ReturnType<typeof api>, slug: string, query = '') {
  const res = await app.fetch(`/api/articles/${slug}/preview${query}`, {
    method: 'POST',
    headers: AUTH,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const { url, expiresAt } = (await res.json()) as { url: string; expiresAt: string };
  const link = new URL(url);
  return { path: link.pathname, key: link.hash.slice(1), expiresAt };
}

/** What the key page does with a link's fragment: posts it as the form's one field. */
const open = (app: ReturnType<typeof api>, key: string) =>
  app.fetch('/preview', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: key }).toString(),
  });

beforeAll(() => seedSite());

describe('private previews', () => {
  it('shows a draft without the token, as the page will be, marked, and cached nowhere', async () => {
    const app = api();
    await apiPut(app, 'preview-me', asDraft('preview-me', 'Seen early.'));
    expect((await app.fetch('/articles/preview-me')).status).toBe(404);
    const { path, key, expiresAt } = await makeLink(app, 'preview-me');
    expect(path).toBe('/preview');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    const page = await open(app, key);
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toBe('text/html; charset=UTF-8');
    expect(page.headers.get('Cache-Control')).toBe('private, no-store');
    expect(page.headers.get('X-Robots-Tag')).toBe('noindex, nofollow');
    expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(page.headers.get('Cache-Status')).toBeNull();
    expect(page.headers.get('ETag')).toBeNull();
    const html = await page.text();
    expect(html).toContain('Seen early.');
    expect(html).toContain('Preview: not published yet.');
    // The CSP allows exactly the page's stylesheet, as on the public page.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(page.headers.get('Content-Security-Policy')).toContain(`style-src 'sha256-${hash}'`);
    // The reader never saw it: no cache holds it; still nowhere public.
    expect((await app.fetch('/articles/preview-me')).status).toBe(404);
    for (const list of ['/', '/feed.xml', '/sitemap.xml']) {
      expect(await (await app.fetch(list)).text()).not.toContain('preview-me');
    }
  });

  it('shows a scheduled article, and the newest revision after an edit', async () => {
    const app = api();
    const at = new Date(Date.now() + 86_400_000).toISOString();
    await apiPut(
      app,
      'preview-later',
      variantOf('preview-later', 'First.').replace(/\n---\n/, `\npublishAt: ${at}\n---\n`),
    );
    const { key } = await makeLink(app, 'preview-later');
    expect(await (await open(app, key)).text()).toContain('First.');
    await apiPut(
      app,
      'preview-later',
      variantOf('preview-later', 'Second.').replace(/\n---\n/, `\npublishAt: ${at}\n---\n`),
    );
    expect(await (await open(app, key)).text()).toContain('Second.');
  });

  it('answers 404 for a tampered, an expired and a revoked link, and for a made-up one', async () => {
    const app = api();
    await apiPut(app, 'preview-gone', asDraft('preview-gone', 'Secret.'));
    const { key } = await makeLink(app, 'preview-gone');
    const tampered = key.slice(0, -1) + (key.at(-1) === 'A' ? 'B' : 'A');
    const short = await makeLink(app, 'preview-gone', '?ttl=1');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (const k of [tampered, short.key, 'not-a-token', '']) {
      const res = await open(app, k);
      expect(res.status, k).toBe(404);
      expect(await res.text(), k).not.toContain('Secret.');
    }
    // The old form, with the key in the path, opens nothing.
    expect((await app.fetch(`/preview/${key}`)).status).toBe(404);
    expect((await open(app, key)).status).toBe(200);
    const revoke = await app.fetch('/api/articles/preview-gone/preview', {
      method: 'DELETE',
      headers: AUTH,
    });
    expect(await revoke.json()).toEqual({ slug: 'preview-gone', revoked: 1 });
    expect((await open(app, key)).status).toBe(404);
  });

  it('opens a link at a form whose one script, allowed by its hash, posts the fragment', async () => {
    const app = api();
    const page = await app.fetch('/preview');
    expect(page.status).toBe(200);
    expect(page.headers.get('Cache-Control')).toBe('private, no-store');
    const html = await page.text();
    expect(html).toContain('<form id="preview-key" method="post" action="/preview">');
    expect(html).toContain('<label for="token">Preview key</label>');
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(script).toContain('location.hash');
    const hash = createHash('sha256').update(script).digest('base64');
    const csp = page.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("default-src 'none'");
  });

  it('needs the token to make a link, and an article to link to', async () => {
    const app = api();
    expect((await app.fetch('/api/articles/preview-me/preview', { method: 'POST' })).status).toBe(
      401,
    );
    const none = await app.fetch('/api/articles/no-such-article/preview', {
      method: 'POST',
      headers: AUTH,
    });
    expect(none.status).toBe(404);
    const bad = await app.fetch('/api/articles/preview-me/preview?ttl=0', {
      method: 'POST',
      headers: AUTH,
    });
    expect(bad.status).toBe(422);
  });
});
