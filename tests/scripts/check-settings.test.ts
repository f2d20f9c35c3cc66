/**
 * The deploy guard and the dry run refuse publisher settings that the Worker would answer 503
 * for: scripts/cli/check-settings.ts reads a config's [vars] with wrangler and the publisher's schema.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readerSettingsProblems, settingsProblems } from '../../scripts/cli/check-settings';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kvpress-settings-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function configWith(
  replace: [RegExp, string],
  source = 'wrangler.publisher.toml',
  main = 'src/publisher/index.ts',
): Promise<string> {
  const text = (await readFile(source, 'utf8')).replace(...replace);
  const file = path.join(dir, `${crypto.randomUUID()}.toml`);
  await writeFile(file, text.replace(/^main = "(.*)"$/m, `main = "${path.resolve(main)}"`));
  return file;
}

describe('check-settings', () => {
  it("passes the project's own publisher config", () => {
    expect(settingsProblems()).toBeUndefined();
  });

  it('names a bad setting in [vars]', async () => {
    const file = await configWith([/^WEBHOOK_RETRY_MS = .*$/m, 'WEBHOOK_RETRY_MS = "soon"']);
    expect(settingsProblems(file)).toBe('WEBHOOK_RETRY_MS: expected a whole number of at least 1');
  });

  it("passes the project's own reader config, and names a bad setting in it", async () => {
    expect(readerSettingsProblems()).toBeUndefined();
    const file = await configWith(
      [/^KV_CACHE_TTL = .*$/m, 'KV_CACHE_TTL = "10"'],
      'wrangler.toml',
      'src/reader/worker.ts',
    );
    expect(readerSettingsProblems(file)).toBe(
      'KV_CACHE_TTL: expected a whole number of at least 30',
    );
  });
});
