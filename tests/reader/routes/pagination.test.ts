import { describe, expect, it } from 'vitest';
import { testApp } from '../../support/app';
import { publish, shippedArticle, variantOf } from '../../support/publish';

/** 45 articles: the shipped one and 44 variants, each a day apart (newest: filler-44). */
async function publishMany(): Promise<void> {
  const fillers = Array.from({ length: 44 }, (_, i) =>
    variantOf(`filler-${i + 1}`, `Filler ${i + 1}.`).replace(
      /^datePublished: .*$/m,
      `datePublished: ${new Date(Date.UTC(2017, 0, i + 1)).toISOString().slice(0, 10)}`,
    ),
  );
  await publish([shippedArticle, ...fillers]);
}

describe('home page pagination', () => {
  it('splits 45 articles into pages of 20, newest first, linked both ways', async () => {
    await publishMany();
    const app = testApp({ VERSION_MAX_AGE_MS: '0' });

    const first = await (await app.fetch('/', { headers: { Accept: 'application/json' } })).json();
    expect(first).toMatchObject({ page: 1, pages: 3, newer: null });
    expect((first as { older: string }).older).toMatch(/\/\?page=2$/);
    const slugs = (first as { articles: { slug: string }[] }).articles.map((a) => a.slug);
    expect(slugs).toHaveLength(20);
    expect(slugs[0]).toBe('filler-44');

    const third = await app.fetch('/?page=3');
    const html = await third.text();
    expect(third.status).toBe(200);
    expect(third.headers.get('Link')).toBe('</?page=2>; rel="prev"');
    expect(html).toContain('<a href="/?page=2" rel="prev">Newer articles</a>');
    expect(html).toContain('/articles/trump-seeks-to-renew-relations-with-putins-russia');
    const list = html.slice(html.indexOf('<ol class="articles">'), html.indexOf('</ol>'));
    expect(list.match(/<li>/g)).toHaveLength(5);
  });

  it.each(['4', '0', 'two', '-1', '1e3', '9999999'])('answers ?page=%s with 404', async (page) => {
    await publishMany();
    const res = await testApp({ VERSION_MAX_AGE_MS: '0' }).fetch(`/?page=${page}`);
    expect(res.status).toBe(404);
  });

  it('caches each page under its own key', async () => {
    await publishMany();
    const app = testApp({ VERSION_MAX_AGE_MS: '0' });
    const one = await (await app.fetch('/')).text();
    const two = await app.fetch('/?page=2');
    expect(two.headers.get('Cache-Status')).toBe('kvpress; fwd=miss; stored');
    expect(await two.text()).not.toBe(one);
  });
});
