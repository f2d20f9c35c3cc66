/**
 * Feeds and discovery files, validated against their specifications: Atom (RFC 4287) and
 * JSON Feed 1.1 checked field by field from the specs, XML well-formedness by fast-xml-parser.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import source from '../../fixtures/article.txt?raw';
import { testApp } from '../../support/app';
import { ARTICLE_PATH, fetchWorker, ORIGIN, visibleText } from '../../support/fetch';
import { publish, shippedArticle, variantOf } from '../../support/publish';

const ARTICLE_URL = `${ORIGIN}${ARTICLE_PATH}`;
/** RFC 3339 date-time (Atom §3.3, JSON Feed): full date, time, and a zone. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const PARAGRAPHS = source
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line.length > 80 && !line.startsWith('Sources:'));

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['entry', 'link', 'author', 'url'].includes(name),
});

type XmlNode = Record<string, unknown>;
const text = (node: unknown): string =>
  typeof node === 'string' ? node : String((node as XmlNode | undefined)?.['#text'] ?? '');

async function xml(path: string): Promise<{ res: Response; doc: XmlNode }> {
  const res = await fetchWorker(path);
  const body = await res.text();
  expect(XMLValidator.validate(body)).toBe(true);
  return { res, doc: parser.parse(body) as XmlNode };
}

describe('Atom feed (RFC 4287)', () => {
  it('is a well-formed feed with the required feed metadata', async () => {
    const { res, doc } = await xml('/feed.xml');
    expect(res.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8');
    const feed = doc.feed as XmlNode;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(text(feed.id)).toBe(`${ORIGIN}/`);
    expect(text(feed.title)).toBe('kvpress');
    expect(text(feed.updated)).toMatch(RFC3339);
    // §4.1.1: an author for the feed, since the entries have none.
    expect((feed.author as XmlNode[])[0]?.name).toBe('kvpress');
    const links = feed.link as XmlNode[];
    expect(links).toContainEqual(
      expect.objectContaining({ '@rel': 'self', '@href': `${ORIGIN}/feed.xml` }),
    );
  });

  it('carries each article in full, with its URL and dates', async () => {
    const { doc } = await xml('/feed.xml');
    const [entry] = (doc.feed as XmlNode).entry as XmlNode[];
    expect(text(entry?.id)).toBe(ARTICLE_URL);
    expect(text(entry?.title)).toBe("Trump Seeks To Renew Relations With Putin's Russia");
    expect(text(entry?.published)).toBe('2016-11-14T00:00:00Z');
    expect(text(entry?.updated)).toMatch(RFC3339);
    expect(entry?.link).toContainEqual(
      expect.objectContaining({ '@rel': 'alternate', '@href': ARTICLE_URL }),
    );
    const content = entry?.content as XmlNode;
    expect(content['@type']).toBe('html');
    const shown = visibleText(text(content));
    for (const paragraph of PARAGRAPHS) expect(shown).toContain(paragraph);
    expect(shown).toContain('Photo credit: brando.n/Flickr');
    expect(shown).toContain('New York Review of Books');
    expect(entry).not.toHaveProperty('author');
  });
});

const JsonFeedSchema = v.object({
  version: v.literal('https://jsonfeed.org/version/1.1'),
  title: v.string(),
  home_page_url: v.pipe(v.string(), v.url()),
  feed_url: v.pipe(v.string(), v.url()),
  items: v.array(
    v.object({
      id: v.string(),
      url: v.pipe(v.string(), v.url()),
      title: v.string(),
      content_html: v.string(),
      summary: v.optional(v.string()),
      date_published: v.pipe(v.string(), v.regex(RFC3339)),
      date_modified: v.optional(v.pipe(v.string(), v.regex(RFC3339))),
    }),
  ),
});

describe('JSON Feed 1.1', () => {
  it('follows the spec and carries each article in full', async () => {
    const res = await fetchWorker('/feed.json');
    expect(res.headers.get('Content-Type')).toBe('application/feed+json');
    const feed = v.parse(JsonFeedSchema, await res.json());
    expect(feed.feed_url).toBe(`${ORIGIN}/feed.json`);
    const [item] = feed.items;
    expect(item?.url).toBe(ARTICLE_URL);
    expect(item?.date_published).toBe('2016-11-14T00:00:00Z');
    const shown = visibleText(item?.content_html ?? '');
    for (const paragraph of PARAGRAPHS) expect(shown).toContain(paragraph);
  });
});

describe('sitemap and robots.txt', () => {
  it('lists the home page and every article with absolute URLs', async () => {
    const { res, doc } = await xml('/sitemap.xml');
    expect(res.headers.get('Content-Type')).toBe('application/xml; charset=utf-8');
    const urlset = doc.urlset as XmlNode;
    expect(urlset['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const urls = (urlset.url as XmlNode[]).map((u) => [u.loc, u.lastmod]);
    expect(urls).toEqual([
      [`${ORIGIN}/`, '2016-11-14T00:00:00.000Z'],
      [ARTICLE_URL, '2016-11-14'],
      [`${ORIGIN}/articles/how-a-kvpress-article-shows-a-picture`, '2016-11-02'],
    ]);
    // Parts exist only behind a sitemap index (more than 50,000 URLs: sitemap-index.test.ts).
    expect((await fetchWorker('/sitemaps/1.xml')).status).toBe(404);
  });

  it('points crawlers at the sitemap', async () => {
    const res = await fetchWorker('/robots.txt');
    expect(res.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe(`User-agent: *\nAllow: /\n\nSitemap: ${ORIGIN}/sitemap.xml\n`);
  });
});

describe('feeds over HTTP', () => {
  it.each(['/feed.xml', '/feed.json', '/sitemap.xml', '/robots.txt'])(
    '%s has an ETag, Cache-Control, answers 304 and is cached',
    async (path) => {
      const app = testApp();
      const first = await app.fetch(path);
      const etag = first.headers.get('ETag') ?? '';
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(first.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+/);
      expect(first.headers.get('Vary')).toBeNull();
      const again = await app.fetch(path, { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get('Cache-Status')).toBe('kvpress; hit; detail=memory');
    },
  );

  it('lists a newly published article within the freshness bound', async () => {
    const app = testApp({ VERSION_MAX_AGE_MS: '0' });
    await app.fetch('/feed.json');
    await publish([shippedArticle, variantOf('feed-probe', 'Fresh.')]);
    const feed = (await (await app.fetch('/feed.json')).json()) as { items: { id: string }[] };
    expect(feed.items.map((item) => item.id)).toContain(
      `${new URL(feed.items[0]?.id ?? '').origin}/articles/feed-probe`,
    );
    const atom = await (await app.fetch('/feed.xml')).text();
    expect(atom).toContain('/articles/feed-probe</id>');
  });
});
