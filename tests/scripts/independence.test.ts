/**
 * The project's tests never depend on the publication's own content/ or on the user's .dev.vars
 * (checked by hand as well: the suite passes with an extra article in content/, with content/
 * holding only a new article, and with .dev.vars copied from the example). This test keeps the
 * rule: no test, test helper or test config reads them.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** An import from the repository's content/, or a file call on a path into it. */
const READS_CONTENT = [
  /from\s+['"](?:\.\.\/)+content\//,
  /(?:readFile|readFileSync|readdir|buildContent|cp|generateArticles)\(\s*['"`](?:\.\/)?content\b/,
];
const THIS_FILE = path.join('tests', 'scripts', 'independence.test.ts');
/**
 * Tests that write a .dev.vars of their own, in a temporary folder where they run `npm start`
 * as a new user would, and never read the project's.
 */
const WRITES_ITS_OWN_DEV_VARS = new Set([path.join('tests', 'scripts', 'local-settings.test.ts')]);

describe('test independence', () => {
  it('no test reads content/ or .dev.vars', async () => {
    const offenders: string[] = [];
    for (const file of [...(await files('tests')), 'vitest.config.ts']) {
      if (file === THIS_FILE) continue;
      const text = await readFile(file, 'utf8');
      if (READS_CONTENT.some((pattern) => pattern.test(text)))
        offenders.push(`${file}: reads content/`);
      if (text.includes('.dev.vars') && !WRITES_ITS_OWN_DEV_VARS.has(file)) {
        offenders.push(`${file}: names .dev.vars`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
