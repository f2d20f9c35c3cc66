/**
 * Above 50,000 URLs (sitemaps.org's limit per file), /sitemap.xml is a sitemap index and the
 * URLs are served in parts. The site here is only an index (no records: a sitemap reads none).
 */
import { env } from 'cloudflare:workers';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { VERSION_KEY } from '../../../src/articles/keys';
import type { ArticleSummary } from '../../../src/articles/schema';
import { indexEntries } from '../../../src/publisher/plan';
import { testApp } from '../../support/app';

const COUNT = 50_000; // with the home page: 50,001 URLs, one more than a sitemap may hold
const parser = new XMLParser({ isArray: (name) => name === 'url' || name === 'sitemap' });

beforeAll(async () => {
  const summaries: ArticleSummary[] = Array.from({ length: COUNT }, (_, i) => ({
    slug: `article-${i}`,
    title: `Article ${i}`,
    description: `Number ${i}.`,
    datePublished: new Date(Date.UTC(2000, 0, 1) + i * 60_000).toISOString(),
    dateModified: null,
    hash: i.toString(16).padStart(32, '0'),
  }));
  const { version, head, chunks } = await indexEntries(summaries);
  for (const { key, value } of [...chunks, head]) await env.ARTICLES.put(key, value);
  await env.ARTICLES.put(VERSION_KEY, JSON.stringify({ version }));
});

describe('a site of more than 50,000 URLs', () => {
  const app = testApp();

  it('answers /sitemap.xml with a sitemap index naming two parts', async () => {
    const res = await app.fetch('/sitemap.xml');
    expect(res.status).toBe(200);
    const doc = parser.parse(await res.text());
    const locs = doc.sitemapindex.sitemap.map((s: { loc: string }) => new URL(s.loc).pathname);
    expect(locs).toEqual(['/sitemaps/1.xml', '/sitemaps/2.xml']);
  });

  it('serves every URL once across the parts, at most 50,000 to a part, the home page first', async () => {
    const one = parser.parse(await (await app.fetch('/sitemaps/1.xml')).text()).urlset.url;
    const two = parser.parse(await (await app.fetch('/sitemaps/2.xml')).text()).urlset.url;
    expect(one).toHaveLength(50_000);
    expect(two).toHaveLength(1);
    expect(new URL(one[0].loc).pathname).toBe('/');
    expect(new URL(one[1].loc).pathname).toBe(`/articles/article-${COUNT - 1}`);
    expect(new URL(two[0].loc).pathname).toBe('/articles/article-0');
  });

  it('answers 404 for a part the site does not have', async () => {
    expect((await app.fetch('/sitemaps/3.xml')).status).toBe(404);
    expect((await app.fetch('/sitemaps/0.xml')).status).toBe(404);
    expect((await app.fetch('/sitemaps/x.xml')).status).toBe(404);
  });
});
