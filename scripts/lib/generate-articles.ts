/**
 * Generated articles for measurements: numbered, valid, one an hour from 2000-01-01 (so the
 * index order is known), with the shipped article's body for realistic sizes where asked.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const SHIPPED = 'tests/fixtures/content/trump-seeks-to-renew-relations-with-putins-russia.md';

/** A small valid article document, number `i`. */
export function generatedArticle(i: number, sentence = `Generated body ${i}.`): string {
  const published = new Date(Date.UTC(2000, 0, 1) + i * 3_600_000).toISOString();
  return [
    '---',
    `title: Generated article ${i}`,
    `slug: generated-${i}`,
    `description: The generated article number ${i}.`,
    `datePublished: ${published}`,
    '---',
    '',
    sentence,
    '',
  ].join('\n');
}

/** Writes `count` distinct articles with the shipped article's body into `dir`. */
export async function generateArticles(dir: string, count: number): Promise<void> {
  const shipped = await readFile(SHIPPED, 'utf8');
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const day = new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    await writeFile(
      path.join(dir, `generated-${i}.md`),
      shipped
        .replace(/^slug: .*$/m, `slug: generated-${i}`)
        .replace(/^title: .*$/m, `title: Generated article ${i}`)
        .replace(/^datePublished: .*$/m, `datePublished: ${day}`),
    );
  }
}
