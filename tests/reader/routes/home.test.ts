import { describe, expect, it } from 'vitest';
import type { ArticleStore } from '../../../src/articles/store';
import { testApp } from '../../support/app';
import { ARTICLE_PATH, fetchWorker, ORIGIN, SLUG } from '../../support/fetch';

describe('GET /', () => {
  it('lists the article on the HTML home page with its date and description', async () => {
    const res = await fetchWorker('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('Vary')).toBe('Accept');
    const html = await res.text();
    expect(html).toContain(
      `<a href="${ARTICLE_PATH}">Trump Seeks To Renew Relations With Putin&#39;s Russia</a>`,
    );
    expect(html).toContain('<time datetime="2016-11-14">November 14, 2016</time>');
    expect(html).toContain('Russian president Vladimir Putin has announced');
    expect(html.match(/<h1>/g)).toHaveLength(1);
  });

  it('lists the articles as JSON when Accept is application/json', async () => {
    const res = await fetchWorker('/', { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(res.headers.get('Vary')).toBe('Accept');
    expect(await res.json()).toEqual({
      articles: [
        {
          slug: SLUG,
          url: `${ORIGIN}${ARTICLE_PATH}`,
          title: "Trump Seeks To Renew Relations With Putin's Russia",
          description:
            'Russian president Vladimir Putin has announced that he will work to reestablish relations between the United States and Russia.',
          section: { name: 'World', url: `${ORIGIN}/sections/world` },
          datePublished: '2016-11-14',
          dateModified: null,
        },
        {
          slug: 'how-a-kvpress-article-shows-a-picture',
          url: `${ORIGIN}/articles/how-a-kvpress-article-shows-a-picture`,
          title: 'How a kvpress article shows a picture',
          description:
            'A demonstration article with a lead picture, a pull quote and a correction, used by the tests.',
          section: { name: 'About kvpress', url: `${ORIGIN}/sections/about-kvpress` },
          datePublished: '2016-11-01',
          dateModified: '2016-11-02',
        },
      ],
      page: 1,
      pages: 1,
      newer: null,
      older: null,
    });
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await fetchWorker('/', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Vary')).toBe('Accept');
    expect(await res.text()).toBe('');
  });

  it('says nothing is published yet before the first publish', async () => {
    const app = testApp({}, { store: () => emptyStore() });
    const res = await app.fetch('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Nothing has been published yet.');
  });
});

describe('unknown paths', () => {
  it('answers 404 in the negotiated format', async () => {
    const html = await fetchWorker('/nope');
    expect(html.status).toBe(404);
    expect(html.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    const json = await fetchWorker('/nope', { headers: { Accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect(json.headers.get('Content-Type')).toBe('application/problem+json');
  });
});

/** A store in which nothing has been published. */
function emptyStore(): ArticleStore {
  return {
    readVersion: async () => null,
    readIndex: async () => null,
    readArticle: async () => null,
  };
}
