/**
 * `npm start` as a new user runs it, in a folder of its own (the project's files copied, its
 * node_modules linked, one content/ fixture), for the end-to-end suites; stopped with its group.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/lib/dev-env';

const FIXTURE = 'tests/fixtures/content/trump-seeks-to-renew-relations-with-putins-russia.md';

export interface Started {
  dir: string;
  port: number;
  /** Everything it printed so far. */
  output: () => string;
  /** PUBLISH_TOKEN of its session (.wrangler/kvpress-session-token). */
  token: () => Promise<string>;
  stop: () => Promise<void>;
}

export async function npmStart(): Promise<Started> {
  const port = await freePort();
  const root = process.cwd();
  const dir = await mkdtemp(path.join(tmpdir(), 'kvpress-e2e-'));
  for (const name of ['node_modules', 'src', 'scripts']) {
    await symlink(path.join(root, name), path.join(dir, name));
  }
  for (const name of [
    'package.json',
    'tsconfig.json',
    'wrangler.toml',
    'wrangler.publisher.toml',
  ]) {
    await copyFile(path.join(root, name), path.join(dir, name));
  }
  await mkdir(path.join(dir, 'content'));
  await copyFile(FIXTURE, path.join(dir, 'content', path.basename(FIXTURE)));
  const chunks: string[] = [];
  const child: ChildProcess = spawn(
    path.join(dir, 'node_modules', '.bin', 'tsx'),
    ['scripts/cli/start.ts'],
    {
      cwd: dir,
      detached: true,
      env: {
        ...process.env,
        PORT: String(port),
        PATH: `${path.join(dir, 'node_modules', '.bin')}:${process.env.PATH}`,
        WRANGLER_SEND_METRICS: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => chunks.push(chunk));
  }
  const output = () => chunks.join('');
  const until = Date.now() + 150_000;
  while (!output().includes('kvpress: serving')) {
    if (Date.now() > until || child.exitCode !== null) {
      throw new Error(`npm start did not serve:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    dir,
    port,
    output,
    token: async () =>
      (await readFile(path.join(dir, '.wrangler', 'kvpress-session-token'), 'utf8')).trim(),
    stop: async () => {
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
