/**
 * Publishes content/ to KV: validates everything first (writes nothing if any file is invalid),
 * diffs against what KV publishes by content hash, writes only what changed, then the index,
 * then the version pointer. Nothing immutable is deleted: readers elsewhere may hold an old
 * pointer for a minute or more, and KV would remember a deleted key's absence for as long as its
 * cacheTtl if the same content (same hash) were published again.
 *
 * Usage: npm run publish -- [--local | --remote] [--dry-run] [--rollback <slug>]
 *                           [--content <dir>] [--persist-to <dir>] [--quiet]
 */
import { parseArgs } from 'node:util';
import { type ArticleStore, createKvStore } from '../src/articles/store';
import { describeError } from '../src/describe-error';
import { applyPlan, type PublishPlan, planChanges, planSite } from '../src/publisher/plan';
import { readHistories, readPublishedState } from '../src/publisher/published-state';
import { buildContent } from './build-content';
import { type KvTarget, localTarget, remoteTarget } from './lib/kv-targets';
import { progressBar } from './lib/progress';

interface Options {
  remote: boolean;
  dryRun: boolean;
  rollback: string | undefined;
  content: string;
  persistTo: string | undefined;
  quiet: boolean;
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      local: { type: 'boolean', default: false },
      remote: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      rollback: { type: 'string' },
      content: { type: 'string', default: 'content' },
      'persist-to': { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (values.local && values.remote) throw new Error('choose --local or --remote, not both');
  return {
    remote: values.remote,
    dryRun: values['dry-run'],
    rollback: values.rollback,
    content: values.content,
    persistTo: values['persist-to'],
    quiet: values.quiet,
  };
}

const storeOver = (target: KvTarget): ArticleStore =>
  createKvStore(target.kv, { cacheTtl: 30, versionCacheTtl: 30, deadlineMs: 60_000 });

/** The plan that makes KV publish exactly the content folder. */
async function planContent(options: Options, store: ArticleStore): Promise<PublishPlan> {
  const build = await buildContent(options.content);
  if (!build.ok) {
    for (const error of build.errors) console.error(error);
    throw new Error(`${build.errors.length} invalid file(s): nothing was written`);
  }
  const current = await readPublishedState(store);
  const published = new Map(current.articles.map((a) => [a.slug, a.hash]));
  const wanted = new Set(build.records.map((r) => r.slug));
  // Histories only of what changes: an unchanged article needs no read and no write.
  const touched = [
    ...build.records.filter((r) => r.draft || published.get(r.slug) !== r.hash).map((r) => r.slug),
    ...current.articles.filter((a) => !wanted.has(a.slug)).map((a) => a.slug),
  ];
  return planSite(current.articles, build.records, await readHistories(store, touched));
}

/** The plan that restores the revision of `slug` before the current one (or the last, if retracted). */
async function planRollback(slug: string, store: ArticleStore): Promise<PublishPlan> {
  const current = await readPublishedState(store);
  const history = await store.readHistory(slug);
  if (!history || history.revisions.length === 0)
    throw new Error(`${slug}: no revision to roll back to`);
  const live = current.articles.find((a) => a.slug === slug);
  const revisions = history.revisions;
  const target = live ? revisions[revisions.lastIndexOf(live.hash) - 1] : revisions.at(-1);
  if (!target)
    throw new Error(`${slug}: the published revision is the oldest kept; nothing earlier`);
  const record = await store.readArticle(slug, target);
  if (!record) throw new Error(`${slug}: revision ${target} is not in KV any more`);
  return planChanges({
    current: current.articles,
    puts: [record],
    deletes: [],
    histories: new Map([[slug, history]]),
  });
}

function describePlan(plan: PublishPlan, target: string): string {
  const { added, changed, removed, unchanged, drafts } = plan.changes;
  const lines = [
    `plan (${target}): ${added.length} added, ${changed.length} changed, ${removed.length} removed, ${unchanged.length} unchanged, ${drafts.length} draft(s)`,
    ...added.slice(0, 20).map((slug) => `  + ${slug}`),
    ...changed.slice(0, 20).map((slug) => `  ~ ${slug}`),
    ...removed.slice(0, 20).map((slug) => `  - ${slug}`),
    ...drafts.slice(0, 20).map((slug) => `  · ${slug} (draft: stored, not published)`),
  ];
  const shown =
    Math.min(added.length, 20) + Math.min(changed.length, 20) + Math.min(removed.length, 20);
  const all = added.length + changed.length + removed.length;
  if (all > shown) lines.push(`  … and ${all - shown} more`);
  lines.push(
    plan.pointer
      ? `writes: ${plan.content.length} content key(s), then the index head, then the version pointer`
      : 'writes: nothing changed, the version pointer stays',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const log = (line: string) => options.quiet || console.log(line);
  const target = options.remote ? await remoteTarget() : await localTarget(options.persistTo);
  try {
    const store = storeOver(target);
    const started = performance.now();
    const plan = options.rollback
      ? await planRollback(options.rollback, store)
      : await planContent(options, store);
    log(describePlan(plan, target.name));
    if (options.dryRun) {
      log('dry run: nothing written');
      return;
    }
    const total = plan.content.length + 2;
    const bar = total >= 200 && !options.quiet ? progressBar(total) : undefined;
    let written = 0;
    await applyPlan(plan, async (entries) => {
      const base = written;
      await target.put(entries, (done) => bar?.update(base + done));
      written += entries.length;
    });
    bar?.finish();
    const ms = (performance.now() - started).toFixed(0);
    const { added, changed, unchanged, drafts } = plan.changes;
    log(
      `published to ${target.name} in ${ms} ms: ${added.length} added, ${changed.length} changed, ${plan.changes.removed.length} removed, ${unchanged.length} unchanged, ${drafts.length} draft(s); ${written} key(s) written`,
    );
  } finally {
    await target.close();
  }
}

main().catch((error: unknown) => {
  console.error(`publish failed: ${describeError(error)}`);
  process.exitCode = 1;
});
