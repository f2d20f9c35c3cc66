/**
 * Sections, tags and authors: each a list page (HTML and JSON by `Accept`, paginated) with its
 * own Atom and JSON feeds, linked from the article and the masthead. The published fixtures are
 * the shipped article (World; Russia, United States, Vladimir Putin, Donald Trump) and the demo
 * (About kvpress; kvpress, Demo; by kvpress developers).
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../support/app';
import { ARTICLE_PATH, fetchWorker, ORIGIN } from '../../support/fetch';
import { publish, shippedArticle, variantOf } from '../../support/publish';

const DEMO_PATH = '/articles/how-a-kvpress-article-shows-a-picture';

describe('a section, a tag and an author page', () => {
  it.each([
    ['/sections/world', 'Section', 'World', ARTICLE_PATH],
    ['/tags/united-states', 'Tag', 'United States', ARTICLE_PATH],
    ['/authors/kvpress-developers', 'Author', 'kvpress developers', DEMO_PATH],
  ])('%s lists its articles under its name, with its feeds', async (path, label, name, listed) => {
    const res = await fetchWorker(path, { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Vary')).toBe('Accept');
    expect(res.headers.get('ETag')).toMatch(/^"[0-9a-f]{32}\./);
    const html = await res.text();
    expect(html).toContain(`<p class="meta">${label}</p><h1>${name}</h1>`);
    expect(html).toContain(`<title>${name} · kvpress</title>`);
    expect(html).toContain(`<link rel="canonical" href="${ORIGIN}${path}"/>`);
    expect(html).toContain(`<a href="${path}/feed.xml">Atom feed</a>`);
    expect(html).toContain(`type="application/feed+json" href="${path}/feed.json"`);
    expect(html).toContain(`<a href="${listed}">`);
    // Only its own articles.
    const other = listed === ARTICLE_PATH ? DEMO_PATH : ARTICLE_PATH;
    expect(html).not.toContain(`<a href="${other}">`);
    expect(res.headers.get('Link')).toContain(`<${path}/feed.xml>; rel="alternate"`);
  });

  it('marks its own section in the masthead as the current page', async () => {
    const html = await (await fetchWorker('/sections/world')).text();
    expect(html).toContain('<a href="/sections/world" aria-current="page">World</a>');
  });

  it.each([
    ['/tags/russia/', '/tags/russia'],
    ['/tags/russia/?page=2', '/tags/russia?page=2'],
    ['/sections/world/feed.xml/', '/sections/world/feed.xml'],
  ])('sends %s on to the one URL without a trailing slash', async (path, to) => {
    const res = await fetchWorker(path, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('Location')).toBe(ORIGIN + to);
  });

  it('serves a name in any script under its percent-encoded URL', async () => {
    await publish([variantOf('zurich', 'Zürich.').replace(/^section: .*$/m, 'section: Zürich')]);
    const app = testApp({ VERSION_MAX_AGE_MS: '0' });
    const article = await (await app.fetch('/articles/zurich')).text();
    expect(article).toContain('<a href="/sections/z%C3%BCrich">Zürich</a>');
    const res = await app.fetch('/sections/z%C3%BCrich', {
      headers: { Accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ section: { name: 'Zürich' } });
    expect(res.headers.get('Cache-Tag')).toBe('kvpress,index,sections:z%C3%BCrich');
  });

  it('answers JSON for programs, naming the list and its feeds', async () => {
    const res = await fetchWorker('/tags/russia', { headers: { Accept: 'application/json' } });
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({
      tag: { name: 'Russia', url: `${ORIGIN}/tags/russia` },
      articles: [{ url: ORIGIN + ARTICLE_PATH, section: { name: 'World' } }],
      page: 1,
      pages: 1,
      feeds: { atom: `${ORIGIN}/tags/russia/feed.xml`, json: `${ORIGIN}/tags/russia/feed.json` },
    });
  });

  it('answers 304 to its own ETag and 406 to what it cannot send', async () => {
    const first = await fetchWorker('/sections/world');
    const etag = first.headers.get('ETag') ?? '';
    const again = await fetchWorker('/sections/world', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    const refused = await fetchWorker('/sections/world', { headers: { Accept: 'image/png' } });
    expect(refused.status).toBe(406);
  });

  it.each([
    '/sections/politics',
    '/tags/no-such-tag',
    '/tags/Russia',
    '/authors/',
    '/tags/russia?page=2',
    '/tags/russia?page=zero',
    '/tags/russia/feed.rss',
  ])('%s is a 404', async (path) => {
    const res = await fetchWorker(path, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  });
});

describe('the article links to its lists', () => {
  it('shows its section above the headline, its tags below, in the masthead its section current', async () => {
    const html = await (await fetchWorker(ARTICLE_PATH)).text();
    expect(html).toContain('<p class="kicker"><a href="/sections/world">World</a></p><h1>');
    for (const [tag, slug] of [
      ['Russia', 'russia'],
      ['United States', 'united-states'],
      ['Vladimir Putin', 'vladimir-putin'],
      ['Donald Trump', 'donald-trump'],
    ]) {
      expect(html).toContain(`<li><a href="/tags/${slug}">${tag}</a></li>`);
    }
    const masthead = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
    // On an article, its section is the current item of the set, not the current page.
    expect(masthead).toContain('<a href="/sections/world" aria-current="true">World</a>');
    expect(masthead).toContain('<a href="/sections/about-kvpress">About kvpress</a>');
    // No byline is invented for an article that names no author.
    expect(html).not.toMatch(/>By /);
  });

  it('carries them in JSON-LD (articleSection, keywords, inLanguage)', async () => {
    const res = await fetchWorker(`${ARTICLE_PATH}.jsonld`);
    expect(await res.json()).toMatchObject({
      articleSection: 'World',
      keywords: ['Russia', 'United States', 'Vladimir Putin', 'Donald Trump'],
      inLanguage: 'en',
    });
  });
});

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

describe("a list's feeds", () => {
  it("an Atom feed per tag: its own id, self link and title, the site's language, categories", async () => {
    const res = await fetchWorker('/tags/russia/feed.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8');
    const feed = parser.parse(await res.text()).feed;
    expect(feed['@xml:lang']).toBe('en');
    expect(feed.id).toBe(`${ORIGIN}/tags/russia`);
    expect(feed.title).toBe('kvpress: Russia (Tag)');
    const links = [feed.link].flat() as { '@rel': string; '@href': string }[];
    expect(links.find((l) => l['@rel'] === 'self')?.['@href']).toBe(
      `${ORIGIN}/tags/russia/feed.xml`,
    );
    const entry = feed.entry;
    expect(entry.id).toBe(ORIGIN + ARTICLE_PATH);
    expect([entry.category].flat().map((c: { '@term': string }) => c['@term'])).toEqual([
      'World',
      'Russia',
      'United States',
      'Vladimir Putin',
      'Donald Trump',
    ]);
  });

  it("a JSON Feed per section, with the entries' tags", async () => {
    const res = await fetchWorker('/sections/about-kvpress/feed.json');
    expect(res.headers.get('Content-Type')).toBe('application/feed+json');
    const feed = (await res.json()) as {
      feed_url: string;
      home_page_url: string;
      items: { id: string; tags: string[]; image?: string }[];
    };
    expect(feed.feed_url).toBe(`${ORIGIN}/sections/about-kvpress/feed.json`);
    expect(feed.home_page_url).toBe(`${ORIGIN}/sections/about-kvpress`);
    expect(feed.items.map((item) => item.id)).toEqual([ORIGIN + DEMO_PATH]);
    expect(feed.items[0]?.tags).toEqual(['About kvpress', 'kvpress', 'Demo']);
    expect(feed.items[0]?.image).toBe(`${ORIGIN}/favicon.svg`);
  });
});

describe('lists of many', () => {
  it('paginates a tag like the home page and names the most used sections first in the masthead', async () => {
    const filler = (i: number, section: string) =>
      variantOf(`filler-${i}`, `Filler ${i}.`)
        .replace(/^datePublished: .*$/m, `datePublished: 2017-01-${String(i).padStart(2, '0')}`)
        .replace(/^section: .*$/m, `section: ${section}`);
    await publish([
      shippedArticle,
      ...Array.from({ length: 24 }, (_, i) => filler(i + 1, i % 3 === 0 ? 'Politics' : 'Europe')),
    ]);
    const app = testApp({ VERSION_MAX_AGE_MS: '0' });
    const first = await (
      await app.fetch('/tags/russia', { headers: { Accept: 'application/json' } })
    ).json();
    expect(first).toMatchObject({ page: 1, pages: 2, newer: null });
    const second = await app.fetch('/tags/russia?page=2');
    expect(second.status).toBe(200);
    expect(second.headers.get('Link')).toContain('</tags/russia>; rel="prev"');
    const html = await second.text();
    const list = html.slice(html.indexOf('<ol class="articles">'), html.indexOf('</ol>'));
    expect(list.match(/<li>/g)).toHaveLength(5);
    const masthead = html.slice(
      html.indexOf('<nav aria-label="Sections">'),
      html.indexOf('</nav>'),
    );
    expect([...masthead.matchAll(/>([^<]+)<\/a>/g)].map((m) => m[1])).toEqual([
      'Europe',
      'Politics',
      'World',
    ]);
  });

  it("changes the article page's ETag when the masthead's sections change", async () => {
    await publish([shippedArticle]);
    const app = testApp({ VERSION_MAX_AGE_MS: '0' });
    const before = (await app.fetch(ARTICLE_PATH)).headers.get('ETag');
    const json = (await app.fetch(`${ARTICLE_PATH}.json`)).headers.get('ETag');
    await publish([
      shippedArticle,
      variantOf('elsewhere', 'Elsewhere.').replace(/^section: .*$/m, 'section: Science'),
    ]);
    const after = await app.fetch(ARTICLE_PATH);
    expect(after.headers.get('ETag')).not.toBe(before);
    expect(await after.text()).toContain('<a href="/sections/science">Science</a>');
    // The JSON does not show the masthead: its tag stays.
    expect((await app.fetch(`${ARTICLE_PATH}.json`)).headers.get('ETag')).toBe(json);
  });
});
