/**
 * A micro-benchmark of the render functions (Node, same code as the worker): median
 * microseconds per render of each representation from one record.
 */

import type { ArticleRecord } from '../../../src/articles/schema';
import { summaryOf } from '../../../src/publisher/plan';
import { articleJson } from '../../../src/views/article-json';
import { articleJsonLd } from '../../../src/views/article-jsonld';
import { articleMarkdown } from '../../../src/views/article-markdown';
import { ArticlePage } from '../../../src/views/article-page';
import { atomFeed } from '../../../src/views/feeds';
import { ListPage } from '../../../src/views/list-page';

const URL_ = 'https://kvpress.example/articles/x';
/** A masthead of a few sections, as a newsroom's would be. */
const NAV = ['World', 'Politics', 'Business', 'Science'].map((name) => ({
  name,
  href: `/sections/${name.toLowerCase()}`,
}));

/** Median µs per call over 25 batches of 200 calls, after a warm-up batch. */
async function time(render: () => unknown): Promise<number> {
  const batch = async () => {
    const started = performance.now();
    for (let i = 0; i < 200; i++) await render();
    return ((performance.now() - started) * 1000) / 200;
  };
  await batch();
  const samples: number[] = [];
  for (let i = 0; i < 25; i++) samples.push(await batch());
  samples.sort((a, b) => a - b);
  return samples[12] ?? Number.NaN;
}

export async function renderMicroBench(
  record: ArticleRecord | undefined,
): Promise<Record<string, number>> {
  if (!record) throw new Error('render bench: no record');
  const summaries = Array.from({ length: 20 }, () => summaryOf(record));
  return {
    // Components are called as functions: the same JSX nodes, without a JSX transform here.
    html: await time(() =>
      ArticlePage({
        article: record,
        siteName: 'kvpress',
        siteLang: 'en',
        url: URL_,
        nav: NAV,
      }).toString(),
    ),
    json: await time(() => JSON.stringify(articleJson(record, URL_, 'en'))),
    markdown: await time(() => articleMarkdown(record, URL_)),
    jsonld: await time(() => JSON.stringify(articleJsonLd(record, URL_, 'kvpress', 'en'))),
    'home (20 articles)': await time(() =>
      ListPage({
        articles: summaries,
        siteName: 'kvpress',
        lang: 'en',
        heading: 'Latest articles',
        nav: NAV,
        url: 'https://kvpress.example/',
        page: 1,
      }).toString(),
    ),
    'atom feed (20 entries)': await time(() =>
      atomFeed(
        Array.from({ length: 20 }, () => record),
        { siteName: 'kvpress', origin: 'https://kvpress.example', lang: 'en' },
      ),
    ),
  };
}
