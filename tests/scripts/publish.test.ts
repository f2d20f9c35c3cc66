/**
 * `npm run publish` against a temporary local state (the publisher Worker and its Durable Object
 * started by the CLI on a temp folder, as `wrangler dev` would use it): plan, dry run, diff by hash,
 * retraction, rollback, conflicts between files and the API, invalid input. Each test runs the
 * real CLI.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const TIMEOUT = 90_000;
const SHIPPED = 'tests/fixtures/content/trump-seeks-to-renew-relations-with-putins-russia.md';

let tmp: string;
let content: string;
let state: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'kvpress-publish-test-'));
  content = path.join(tmp, 'content');
  state = path.join(tmp, 'state');
  // The shipped article alone: the counts below are of one file.
  await mkdir(content, { recursive: true });
  await cp(SHIPPED, path.join(content, path.basename(SHIPPED)));
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function publish(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      'npx',
      ['tsx', 'scripts/cli/publish.ts', '--content', content, '--persist-to', state, ...args],
      { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, maxBuffer: 64 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

async function article(slug: string, sentence: string, extra = ''): Promise<string> {
  const shipped = await readFile(SHIPPED, 'utf8');
  return shipped
    .replace(/^slug: .*$/m, `slug: ${slug}${extra ? `\n${extra}` : ''}`)
    .replace('Beyond diplomatic relations', `${sentence} Beyond diplomatic relations`);
}

describe('npm run publish', () => {
  it(
    'prints the plan and writes nothing on --dry-run',
    async () => {
      const dry = await publish('--dry-run');
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(
        'plan (local state): 1 added, 0 changed, 0 removed, 0 unchanged',
      );
      expect(dry.stdout).toContain('dry run: nothing written');
      const again = await publish('--dry-run');
      expect(again.stdout).toContain('1 added'); // still nothing published
    },
    TIMEOUT,
  );

  it(
    'publishes, then reports only what changed, then retracts a removed file',
    async () => {
      const first = await publish();
      expect(first.stdout).toMatch(/published in \d+ ms; KV holds version [0-9a-f]{32}/);

      const unchanged = await publish();
      expect(unchanged.stdout).toContain('0 added, 0 changed, 0 removed, 1 unchanged');
      expect(unchanged.stdout).toContain('nothing to publish');

      await writeFile(path.join(content, 'second.md'), await article('second', 'Second.'));
      const added = await publish();
      expect(added.stdout).toContain('1 added, 0 changed, 0 removed, 1 unchanged');
      expect(added.stdout).toContain('  + second');

      await writeFile(
        path.join(content, 'second.md'),
        await article('second', 'Second, corrected.'),
      );
      const changed = await publish();
      expect(changed.stdout).toContain('0 added, 1 changed, 0 removed, 1 unchanged');

      await unlink(path.join(content, 'second.md'));
      const removed = await publish();
      expect(removed.stdout).toContain('0 added, 0 changed, 1 removed, 1 unchanged');
      expect(removed.stdout).toContain('  - second');
    },
    TIMEOUT,
  );

  it(
    'sends nothing and exits non-zero when any file is invalid, counting files, not problems',
    async () => {
      await writeFile(path.join(content, 'bad.md'), '---\ntitle: Bad\n---\nbody\n');
      const result = await publish();
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/^content\/bad\.md: slug: is required$/m);
      expect(result.stderr).toMatch(/^content\/bad\.md: description: is required$/m);
      expect(result.stderr).toContain('1 invalid file(s): nothing was sent');
      await unlink(path.join(content, 'bad.md'));
      expect((await publish('--dry-run')).stdout).toContain('1 added');
    },
    TIMEOUT,
  );

  it(
    'rolls back through the publisher; a file sync never undoes an API change unless --force',
    async () => {
      await writeFile(path.join(content, 'roll.md'), await article('roll', 'Version one.'));
      await publish();
      await writeFile(path.join(content, 'roll.md'), await article('roll', 'Version two.'));
      await publish();

      const rolled = await publish('--rollback', 'roll');
      expect(rolled.code).toBe(0);
      expect(rolled.stdout).toMatch(/rolled back roll to [0-9a-f]{32}/);

      // The rollback is the article's latest change, made through the API: the file (version
      // two) would overwrite it, so the sync refuses and writes nothing.
      const blocked = await publish();
      expect(blocked.code).not.toBe(0);
      expect(blocked.stdout).toContain('! roll (content/roll.md): last changed through the API');
      expect(blocked.stderr).toContain('Re-run with --force');
      const forced = await publish('--force');
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain('1 changed');

      // A retracted file-origin article comes back by rollback, and the next sync keeps it.
      await unlink(path.join(content, 'roll.md'));
      expect((await publish()).stdout).toContain('1 removed');
      expect((await publish('--rollback', 'roll')).code).toBe(0);
      const kept = await publish();
      expect(kept.code).toBe(0);
      expect(kept.stdout).toContain('0 removed');

      const missing = await publish('--rollback', 'never-published');
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('No article "never-published" exists.');
    },
    TIMEOUT,
  );

  it(
    'stores a draft without publishing it',
    async () => {
      await writeFile(
        path.join(content, 'draft.md'),
        await article('draft-one', 'Not yet.', 'draft: true'),
      );
      const result = await publish();
      expect(result.stdout).toContain('1 draft(s)');
      expect(result.stdout).toContain('· draft-one (draft: stored, not published)');
    },
    TIMEOUT,
  );

  it(
    'shows a scheduled file in the plan, and stores it without publishing it',
    async () => {
      const at = new Date(Date.now() + 86_400_000).toISOString();
      await writeFile(
        path.join(content, 'later.md'),
        await article('later-one', 'Tomorrow.', `publishAt: ${at}`),
      );
      const dry = await publish('--dry-run');
      expect(dry.stdout).toContain('1 scheduled');
      expect(dry.stdout).toContain('@ later-one (scheduled: published at its publishAt)');
      const result = await publish();
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('1 scheduled');
      // Stored, not published: a second run plans it again as scheduled, nothing added.
      const again = await publish('--dry-run');
      expect(again.stdout).toContain('0 added');
      expect(again.stdout).toContain('@ later-one');
    },
    TIMEOUT,
  );

  it(
    'lists the first 20 of a long plan and counts the rest',
    async () => {
      const shipped = await readFile(SHIPPED, 'utf8');
      for (let i = 0; i < 120; i++) {
        await writeFile(
          path.join(content, `bulk-${i}.md`),
          shipped
            .replace(/^slug: .*$/m, `slug: bulk-${i}`)
            .replace(/^title: .*$/m, `title: Bulk ${i}`),
        );
      }
      const result = await publish();
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('121 added');
      expect(result.stdout).toContain('… and 101 more');
    },
    TIMEOUT,
  );
});
