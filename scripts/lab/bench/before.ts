/**
 * The reader as it was at another commit, for a before/after table in one run (`--before <ref>`):
 * the ref's tree is unpacked (git archive) beside this one, shares its node_modules, makes its
 * generated files as its own postinstall does, and is bundled and given content by its own code,
 * so the two readers differ only in what the commits changed.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ContentBuild, KvEntry } from '../../cli/build-content';
import { type Bundle, bundleWorker, startLocalWorker } from '../../lib/local-worker';
import { median, type Target } from './load';
import { ARTICLE, readerTargets } from './targets';

const run = promisify(execFile);

export interface BeforeTree {
  ref: string;
  /** The commit's short hash. */
  commit: string;
  bundle: Bundle;
  entries: readonly KvEntry[];
}

export async function prepareBefore(ref: string, dir: string): Promise<BeforeTree> {
  const commit = (await run('git', ['rev-parse', '--short', `${ref}^{commit}`])).stdout.trim();
  await mkdir(dir, { recursive: true });
  await run('bash', ['-c', `git archive ${commit} | tar -x -C ${JSON.stringify(dir)}`]);
  await symlink(path.resolve('node_modules'), path.join(dir, 'node_modules'));
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
  await run(
    'bash',
    ['-c', 'npm run -s types > /dev/null && npm run -s render-version -- --quiet'],
    {
      cwd: dir,
      env,
    },
  );
  const bundle = await bundleWorker('wrangler.toml', dir);
  // The build script moved (scripts/ → scripts/cli/) with the rooms of issue 24.
  let script = path.join(dir, 'scripts/cli/build-content.ts');
  await access(script).catch(() => {
    script = path.join(dir, 'scripts/build-content.ts');
  });
  const { buildContent } = (await import(script)) as {
    buildContent(contentDir: string): Promise<ContentBuild>;
  };
  const build = await buildContent(path.resolve('tests/fixtures/content'));
  if (!build.ok) throw new Error(`${ref}: ${build.errors.join('\n')}`);
  return { ref, commit, bundle, entries: build.entries };
}

/** The targets measured on both readers: the name of the after target and its before twin. */
export const BEFORE_PREFIX = 'before: ';

/**
 * The reader at `ref` started as this tree's is (warm, and with no cache tiers): its targets,
 * named with BEFORE_PREFIX. What it starts is added to `started` (closed by the caller).
 */
export async function startBefore(
  ref: string,
  dir: string,
  started: { close(): Promise<void> }[],
): Promise<{ commit: string; targets: Target[] }> {
  const before = await prepareBefore(ref, dir);
  started.push({ close: before.bundle.cleanup });
  const site = await startLocalWorker({ bundleDir: before.bundle.dir, entries: before.entries });
  started.push(site);
  const uncached = await startLocalWorker({
    bundleDir: before.bundle.dir,
    entries: before.entries,
    vars: { MEMORY_CACHE_BYTES: '0', EDGE_CACHE: 'off' },
  });
  started.push(uncached);
  await (await site.fetch(ARTICLE)).arrayBuffer();
  const etag = (await site.fetch(ARTICLE)).headers.get('ETag') ?? '';
  console.log(`bench: the reader at ${ref} (${before.commit}) is measured beside this tree`);
  return { commit: before.commit, targets: readerTargets(site, uncached, etag, BEFORE_PREFIX) };
}

/**
 * One row per target measured on both readers: each one's median ratio to the baseline worker
 * (per round, so both are taken under the same conditions), and after ÷ before per round.
 */
export function beforeAfterRows(
  rounds: Record<string, { rps: number }[]>,
  baselineName: string,
): { name: string; before: number; after: number; change: number }[] {
  const base = rounds[baselineName] ?? [];
  return Object.keys(rounds)
    .filter((name) => name.startsWith(BEFORE_PREFIX))
    .map((beforeName) => {
      const name = beforeName.slice(BEFORE_PREFIX.length);
      const after = rounds[name] ?? [];
      const before = rounds[beforeName] ?? [];
      return {
        name,
        before: median(before.map((r, i) => r.rps / (base[i]?.rps ?? Number.NaN))),
        after: median(after.map((r, i) => r.rps / (base[i]?.rps ?? Number.NaN))),
        change: median(after.map((r, i) => r.rps / (before[i]?.rps ?? Number.NaN))),
      };
    });
}
