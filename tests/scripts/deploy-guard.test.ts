/**
 * `npm run deploy` starts with scripts/cli/deploy-guard.ts: what cannot work deployed is refused
 * at once, before the long check, each with what to do.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const GUARD = path.resolve('scripts/cli/deploy-guard.ts');
const TSX = path.resolve('node_modules/.bin/tsx');
let dir: string;

async function guard(edit: (name: string, text: string) => string) {
  for (const name of ['wrangler.toml', 'wrangler.publisher.toml']) {
    await writeFile(path.join(dir, name), edit(name, await readFile(name, 'utf8')));
  }
  return run(TSX, [GUARD], {
    cwd: dir,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  }).then(
    (r) => ({ code: 0, said: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      said: e.stdout + e.stderr,
    }),
  );
}

const deployable = (_name: string, text: string) =>
  text
    .replace(/^id = "0+"$/m, 'id = "0123456789abcdef0123456789abcdef"')
    .replace(/^workers_dev = true$/m, 'workers_dev = false')
    .replace(/^SITE_URL = ""$/m, 'SITE_URL = "https://news.example"')
    .replace(
      /^ACTIVITYPUB_PUBLIC_KEYS = ""$/m,
      // The shape `npm run activitypub:keys` writes (the reader's settings check it).
      `ACTIVITYPUB_PUBLIC_KEYS = '{"rsa":"-----BEGIN PUBLIC KEY-----\\nx\\n-----END PUBLIC KEY-----\\n","ed25519":"z${'1'.repeat(44)}"}'`,
    );

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kvpress-guard-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the deploy guard', () => {
  it('refuses the placeholder KV namespace id', async () => {
    const { code, said } = await guard((_n, text) => text);
    expect(code).toBe(1);
    expect(said).toContain('the KV namespace id is the placeholder 000…');
  }, 60_000);

  it('refuses a reader on workers.dev', async () => {
    const { code, said } = await guard((name, text) =>
      deployable(name, text).replace(/^workers_dev = false$/m, 'workers_dev = true'),
    );
    expect(code).toBe(1);
    expect(said).toContain('workers_dev = true: the Cache API stores nothing on *.workers.dev');
  }, 60_000);

  it('refuses the local sign-in link left on', async () => {
    const { code, said } = await guard((name, text) =>
      deployable(name, text).replace(/^LOCAL_SIGN_IN = "false"$/m, "  LOCAL_SIGN_IN = 'true'"),
    );
    expect(code).toBe(1);
    expect(said).toContain('LOCAL_SIGN_IN is not "false" in wrangler.publisher.toml');
  }, 60_000);

  it('passes a deployable pair of configs', async () => {
    const { code, said } = await guard(deployable);
    expect(said).toContain('deploy: SITE_URL is https://news.example');
    expect(code).toBe(0);
  }, 60_000);
});
