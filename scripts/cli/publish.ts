/**
 * Publishes content/ through the publisher (a client of its API, like any editor): validates
 * every file first (nothing is sent if any is invalid), then sends them all in one request; the
 * publisher's Durable Object plans the sync against its own state, commits it and projects it to
 * KV. Articles last changed through the API are never overwritten or retracted by files: they are
 * reported as conflicts and nothing is written (exit 1) unless --force.
 *
 * Usage: npm run publish -- [--local | --remote] [--dry-run] [--force] [--rollback <slug>]
 *                           [--content <dir>] [--port <n>] [--url <origin>] [--persist-to <dir>]
 *                           [--quiet]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { describeError } from '../../src/describe-error';
import type { SyncResult } from '../../src/publisher/api-types';
import { localPublisher, type Publisher, remotePublisher } from '../lib/publisher-client';
import { buildContent } from './build-content';

interface Options {
  remote: boolean;
  dryRun: boolean;
  force: boolean;
  rollback: string | undefined;
  content: string;
  port: number;
  url: string | undefined;
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
      force: { type: 'boolean', default: false },
      rollback: { type: 'string' },
      content: { type: 'string', default: 'content' },
      port: { type: 'string', default: process.env.PORT ?? '8787' },
      url: { type: 'string' },
      'persist-to': { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (values.local && values.remote) throw new Error('choose --local or --remote, not both');
  return {
    remote: values.remote,
    dryRun: values['dry-run'],
    force: values.force,
    rollback: values.rollback,
    content: values.content,
    port: Number(values.port),
    url: values.url,
    persistTo: values['persist-to'],
    quiet: values.quiet,
  };
}

/** SITE_URL from wrangler.toml's [vars], for --remote. */
async function configuredSiteUrl(): Promise<string> {
  const toml = await readFile('wrangler.toml', 'utf8');
  return /^SITE_URL\s*=\s*"([^"]*)"/m.exec(toml)?.[1] ?? '';
}

async function publisherFor(options: Options): Promise<Publisher> {
  if (options.remote) {
    return remotePublisher(options.url ?? (await configuredSiteUrl()), process.env.PUBLISH_TOKEN);
  }
  return localPublisher(options.port, options.persistTo);
}

/** The API's answer as JSON, or an error naming its problem. */
async function answer<T>(res: Response, okStatuses: number[] = [200, 201]): Promise<T> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`the publisher answered ${res.status} ${text.slice(0, 200)}`);
  }
  if (!okStatuses.includes(res.status)) {
    const problem = json as { detail?: string; errors?: { field: string; message: string }[] };
    const details = (problem.errors ?? []).map((e) => `  ${e.field}: ${e.message}`);
    throw new Error(
      [`${res.status} ${problem.detail ?? text.slice(0, 200)}`, ...details].join('\n'),
    );
  }
  return json as T;
}

function describeSync(result: SyncResult, where: string): string {
  const { added, changed, removed, unchanged, drafts, conflicts } = result.plan;
  const scheduled = result.plan.scheduled ?? [];
  const list = (mark: string, slugs: string[], note = '') => [
    ...slugs.slice(0, 20).map((slug) => `  ${mark} ${slug}${note}`),
    ...(slugs.length > 20 ? [`  … and ${slugs.length - 20} more`] : []),
  ];
  return [
    `plan (${where}): ${added.length} added, ${changed.length} changed, ${removed.length} removed, ${unchanged.length} unchanged, ${drafts.length} draft(s), ${scheduled.length} scheduled, ${conflicts.length} conflict(s)`,
    ...list('+', added),
    ...list('~', changed),
    ...list('-', removed),
    ...list('·', drafts, ' (draft: stored, not published)'),
    ...list('@', scheduled, ' (scheduled: published at its publishAt)'),
    ...conflicts.map((c) => `  ! ${c.slug}${c.path ? ` (${c.path})` : ''}: ${c.reason}`),
  ].join('\n');
}

function describeProjection(result: {
  version: string;
  projection: SyncResult['projection'];
}): string {
  return result.projection.complete
    ? `KV holds version ${result.version}: readers see it within the freshness bound (about 35 s)`
    : `committed version ${result.version}; KV projection pending (${result.projection.pending} write(s)${result.projection.lastError ? `, last error: ${result.projection.lastError}` : ''}); the publisher retries until KV matches`;
}

/** Characters of Markdown per sync request (the publisher takes about 12 million rendered). */
const BATCH_CHARS = 4_000_000;

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const log = (line: string) => options.quiet || console.log(line);
  // Validate before contacting anything: a bad file is reported with its path and field.
  const build = options.rollback ? undefined : await buildContent(options.content);
  if (build && !build.ok) {
    for (const error of build.errors) console.error(error);
    throw new Error(`${build.invalidFiles} invalid file(s): nothing was sent`);
  }
  const publisher = await publisherFor(options);
  try {
    const started = performance.now();
    if (options.rollback) {
      const slug = encodeURIComponent(options.rollback);
      const result = await answer<{
        status: string;
        hash: string;
        version: string;
        projection: SyncResult['projection'];
      }>(await publisher.api(`/api/articles/${slug}/rollback`, { method: 'POST' }));
      log(`rolled back ${options.rollback} to ${result.hash} (${publisher.name})`);
      log(describeProjection(result));
      return;
    }
    const files = build?.ok ? build.sources : [];
    const slugs = build?.ok ? build.records.map((r) => r.slug) : [];
    const send = (body: object) =>
      publisher.api('/api/sync', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ force: options.force, dryRun: options.dryRun, ...body }),
      });
    // A large content/ goes in batches (each adds and updates), then a last request that names
    // every slug, so the publisher retracts only what no file holds any more.
    let res: Response;
    if (files.reduce((n, f) => n + f.source.length, 0) <= BATCH_CHARS) {
      res = await send({ files });
    } else {
      const sent: string[] = [];
      let start = 0;
      while (start < files.length) {
        let end = start;
        for (
          let size = 0;
          end < files.length &&
          (end === start || size + (files[end]?.source.length ?? 0) <= BATCH_CHARS);
          end++
        ) {
          size += files[end]?.source.length ?? 0;
        }
        if (end === files.length) break;
        const batch = await send({ files: files.slice(start, end), partial: true });
        if (!batch.ok) {
          res = batch;
          break;
        }
        await batch.body?.cancel();
        sent.push(...slugs.slice(start, end));
        start = end;
      }
      res ??= await send({ files: files.slice(start), keep: sent });
    }
    const result = await answer<SyncResult>(res, [200, 409]);
    log(describeSync(result, publisher.name));
    if (res.status === 409) {
      throw new Error(
        `${result.plan.conflicts.length} article(s) were last changed through the API; nothing was written. Re-run with --force to let the files win.`,
      );
    }
    if (options.dryRun) {
      log('dry run: nothing written');
      return;
    }
    const ms = (performance.now() - started).toFixed(0);
    log(
      `${result.applied ? 'published' : 'nothing to publish'} in ${ms} ms; ${describeProjection(result)}`,
    );
  } finally {
    await publisher.close();
  }
}

main().catch((error: unknown) => {
  console.error(`publish failed: ${describeError(error)}`);
  process.exitCode = 1;
});
