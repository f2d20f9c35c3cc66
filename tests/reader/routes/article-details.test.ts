/**
 * What the demo fixture shows that the shipped article cannot: a lead picture (figure, sizes,
 * social cards, JSON-LD, feeds), a byline linked to the author's page and a correction; and the
 * language, from SITE_LANG or the article's own `lang`; and the site's icon.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../support/app';
import { ARTICLE_PATH, fetchWorker, ORIGIN } from '../../support/fetch';
import { publish, shippedArticle, variantOf } from '../../support/publish';

const DEMO_PATH = '/articles/how-a-kvpress-article-shows-a-picture';
const PICTURE = `${ORIGIN}/favicon.svg`;

describe('an article with a picture', () => {
  it('shows it as a figure with its size, alt, caption and credit, loaded at once', async () => {
    const html = await (await fetchWorker(DEMO_PATH)).text();
    expect(html).toContain(
      '<figure class="lead"><img src="/favicon.svg" alt="The kvpress nameplate mark, a white letter K on a dark rounded square" width="640" height="640" decoding="async" fetchpriority="high"/>' +
        '<figcaption>The site&#39;s own mark, served by the reader at /favicon.svg. <span class="credit">Photo: kvpress</span></figcaption></figure>',
    );
    // The credit is in the caption: no second "Photo credit" line.
    expect(html).not.toContain('Photo credit:');
  });

  it('gives social cards and JSON-LD its absolute URL', async () => {
    const html = await (await fetchWorker(DEMO_PATH)).text();
    expect(html).toContain(`<meta property="og:image" content="${PICTURE}"/>`);
    expect(html).toContain('<meta property="og:image:width" content="640"/>');
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    const jsonLd = (await (await fetchWorker(`${DEMO_PATH}.jsonld`)).json()) as Record<
      string,
      unknown
    >;
    expect(jsonLd.image).toEqual({
      '@type': 'ImageObject',
      url: PICTURE,
      width: 640,
      height: 640,
      caption: "The site's own mark, served by the reader at /favicon.svg.",
      creditText: 'kvpress',
    });
    expect(jsonLd.author).toEqual([{ '@type': 'Person', name: 'kvpress developers' }]);
  });

  it('has no picture anywhere when the article has only a credit (none is invented)', async () => {
    const html = await (await fetchWorker(ARTICLE_PATH)).text();
    expect(html).not.toContain('<figure');
    expect(html).not.toContain('og:image');
    expect(html).toContain('<meta name="twitter:card" content="summary"/>');
    expect(html).toContain('<p class="credit">Photo credit: brando.n/Flickr</p>');
    const jsonLd = (await (await fetchWorker(`${ARTICLE_PATH}.jsonld`)).json()) as object;
    expect(jsonLd).not.toHaveProperty('image');
  });

  it('puts the picture at the top of the feed entry', async () => {
    const feed = (await (await fetchWorker('/feed.json')).json()) as {
      items: { id: string; content_html: string; image?: string }[];
    };
    const demo = feed.items.find((item) => item.id === ORIGIN + DEMO_PATH);
    expect(demo?.image).toBe(PICTURE);
    expect(demo?.content_html).toMatch(
      new RegExp(`^<figure><img src="${PICTURE}" alt="The kvpress nameplate mark`),
    );
    expect(feed.items.find((item) => item.id === ORIGIN + ARTICLE_PATH)).not.toHaveProperty(
      'image',
    );
  });
});

describe('a byline and a correction', () => {
  it('links each author to their page and shows the correction at the foot', async () => {
    const html = await (await fetchWorker(DEMO_PATH)).text();
    expect(html).toContain('By <a href="/authors/kvpress-developers">kvpress developers</a> · ');
    expect(html).toContain(
      '<section class="correction" aria-labelledby="correction"><h2 id="correction">Correction</h2><p><time datetime="2016-11-02">November 2, 2016</time>: An earlier version of this demo gave the picture no caption.</p></section>',
    );
    const json = (await (await fetchWorker(`${DEMO_PATH}.json`)).json()) as Record<string, unknown>;
    expect(json.correction).toBe('An earlier version of this demo gave the picture no caption.');
    expect(json.dateModified).toBe('2016-11-02');
    // The picture's path, absolute for programs.
    expect(json.image).toMatchObject({ src: PICTURE, width: 640, height: 640, credit: 'kvpress' });
  });

  it("marks the feed entry updated on the correction's date and says what changed", async () => {
    const xml = await (await fetchWorker('/feed.xml')).text();
    const entries = new XMLParser().parse(xml).feed.entry as {
      id: string;
      updated: string;
      published: string;
      content: string;
    }[];
    const demo = entries.find((entry) => entry.id === ORIGIN + DEMO_PATH);
    expect(demo?.published).toBe('2016-11-01T00:00:00Z');
    expect(demo?.updated).toBe('2016-11-02T00:00:00Z');
    expect(demo?.content).toContain(
      '<strong>Correction (2016-11-02):</strong> An earlier version of this demo gave the picture no caption.',
    );
  });
});

describe('language', () => {
  it("uses SITE_LANG for the page, the feeds and JSON-LD, and an article's own lang over it", async () => {
    await publish([
      shippedArticle,
      variantOf('en-francais', 'Bonjour.').replace(/^section: .*$/m, 'section: World\nlang: fr'),
    ]);
    const app = testApp({ SITE_LANG: 'en-gb', VERSION_MAX_AGE_MS: '0' });
    expect(await (await app.fetch(ARTICLE_PATH)).text()).toContain('<html lang="en-GB">');
    expect(await (await app.fetch('/')).text()).toContain('<html lang="en-GB">');
    expect(await (await app.fetch('/articles/en-francais')).text()).toContain('<html lang="fr">');
    const jsonLd = (await (await app.fetch('/articles/en-francais.jsonld')).json()) as {
      inLanguage: string;
    };
    expect(jsonLd.inLanguage).toBe('fr');
    const atom = await (await app.fetch('/feed.xml')).text();
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">');
    expect(atom).toContain('<entry xml:lang="fr">');
    const feed = (await (await app.fetch('/feed.json')).json()) as {
      language: string;
      items: { language?: string }[];
    };
    expect(feed.language).toBe('en-GB');
    expect(feed.items.map((item) => item.language)).toContain('fr');
  });

  it('falls back to en for a SITE_LANG that is not a language tag', async () => {
    const app = testApp({ SITE_LANG: 'not a language' });
    expect(await (await app.fetch('/')).text()).toContain('<html lang="en">');
  });
});

describe('the site icon', () => {
  it.each(['/favicon.svg', '/favicon.ico'])('%s is the nameplate mark as SVG', async (path) => {
    const res = await fetchWorker(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=86400');
    expect(await res.text()).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg".*>K<\/text><\/svg>$/,
    );
  });

  it('is named by every page', async () => {
    const html = await (await fetchWorker('/')).text();
    expect(html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
  });
});
