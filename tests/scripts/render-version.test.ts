import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { computeRenderVersion, VERSION_FILE, versionFileText } from '../../scripts/render-version';

describe('render version', () => {
  it('is current: the committed file matches src/ and the lockfile (else npm run render-version)', async () => {
    const committed = await readFile(VERSION_FILE, 'utf8');
    expect(committed).toBe(versionFileText(await computeRenderVersion()));
  });
});
