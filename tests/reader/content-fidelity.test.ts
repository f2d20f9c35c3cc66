/**
 * The publisher's words, reproduced faithfully: every paragraph of the source as received
 * appears in the HTML page and in the JSON, and the scraper's page chrome appears in neither.
 */
import { describe, expect, it } from 'vitest';
import source from '../fixtures/article.txt?raw';
import { ARTICLE_PATH, fetchWorker, visibleText } from '../support/fetch';

const lines = source
  .split('\n')
  .map((line) => line.trim())
  .filter(Boolean);

const TITLE = "Trump Seeks To Renew Relations With Putin's Russia";
/** Lines of the scrape that are the page around the article, not the article. */
const CHROME = ['Skip to main content', '• Author:', '• Updated:', 'Popular Video'];
const SOURCES_LINE = lines.find((line) => line.startsWith('Sources:')) ?? '';
const PARAGRAPHS = lines.filter(
  (line) => line !== TITLE && line !== SOURCES_LINE && !CHROME.includes(line),
);

async function articleJson(): Promise<{ contentHtml: string; contentMarkdown: string }> {
  const res = await fetchWorker(ARTICLE_PATH, { headers: { Accept: 'application/json' } });
  return res.json();
}

describe('content fidelity', () => {
  it('reads the expected shape of the source (title, 10 paragraphs, a sources line)', () => {
    expect(lines).toContain(TITLE);
    expect(SOURCES_LINE).toBe(
      'Sources: BBC, RT, New York Review of Books, The New York Times / Photo credit: brando.n/Flickr',
    );
    expect(PARAGRAPHS).toHaveLength(10);
  });

  it('shows every paragraph of the source on the HTML page, word for word', async () => {
    const text = visibleText(await (await fetchWorker(ARTICLE_PATH)).text());
    for (const paragraph of PARAGRAPHS) expect(text).toContain(paragraph);
  });

  it('carries every paragraph in the JSON, as Markdown and as HTML', async () => {
    const json = await articleJson();
    const htmlText = visibleText(json.contentHtml);
    for (const paragraph of PARAGRAPHS) {
      expect(json.contentMarkdown).toContain(paragraph);
      expect(htmlText).toContain(paragraph);
    }
  });

  it('keeps the sources and the photo credit as data, not body text', async () => {
    const json = (await articleJson()) as unknown as Record<string, unknown>;
    expect(json.sources).toEqual(['BBC', 'RT', 'New York Review of Books', 'The New York Times']);
    expect(json.image).toEqual({ credit: 'brando.n/Flickr' });
    expect(json.contentMarkdown).not.toContain('Sources:');
  });

  it('drops the page chrome of the scrape from the page and the JSON', async () => {
    const page = visibleText(await (await fetchWorker(ARTICLE_PATH)).text());
    const json = JSON.stringify(await articleJson());
    for (const chrome of CHROME) {
      expect(page).not.toContain(chrome);
      expect(json).not.toContain(chrome);
    }
    expect(page).not.toMatch(/Author:|Updated:/);
  });
});
