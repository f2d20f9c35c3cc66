/**
 * POST /api/sync: the CLI's batch (`npm run publish`), planned and committed by the Durable
 * Object as one sync.
 */
import { ProblemError } from '../../http/problem';
import type { FileRecord } from '../api-types';
import { buildArticleRecord, type FieldError } from '../build-record';
import type { PublisherContext } from '../context';
import { MAX_SYNC_RECORD_CHARS, tooBig } from './documents';
import { invalid } from './validators';

interface SyncBody {
  files: { path: string; source: string }[];
  force?: boolean;
  dryRun?: boolean;
  partial?: boolean;
  keep?: string[];
}

function isSyncBody(json: unknown): json is SyncBody {
  if (typeof json !== 'object' || json === null) return false;
  const { files } = json as { files?: unknown };
  return (
    Array.isArray(files) &&
    files.every(
      (f) =>
        typeof f === 'object' &&
        f !== null &&
        typeof (f as { path?: unknown }).path === 'string' &&
        typeof (f as { source?: unknown }).source === 'string',
    )
  );
}

/**
 * POST /api/sync: the CLI's batch. Every file of `content/` in one request; builds them all
 * (nothing is written if any is invalid), then the Durable Object plans and commits the sync.
 * 409 when the files would overwrite or retract an article last changed through the API, unless
 * `force`.
 */
export async function syncFiles(c: PublisherContext) {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw invalid([{ field: 'body', message: 'is not valid JSON' }], 'The request');
  }
  if (!isSyncBody(json)) {
    throw invalid(
      [{ field: 'files', message: 'must be a list of { "path": string, "source": string }' }],
      'The request',
    );
  }
  const errors: FieldError[] = [];
  const files: FileRecord[] = [];
  const seen = new Map<string, string>();
  for (const { path, source } of json.files) {
    const built = await buildArticleRecord(source);
    if (!built.ok) {
      for (const e of built.errors)
        errors.push({ field: `${path}: ${e.field}`, message: e.message });
      continue;
    }
    const other = seen.get(built.record.slug);
    if (other) {
      errors.push({
        field: `${path}: slug`,
        message: `"${built.record.slug}" is already used by ${other}`,
      });
      continue;
    }
    if (tooBig(built.record)) {
      errors.push({ field: `${path}: document`, message: 'renders too large to store; split it' });
      continue;
    }
    seen.set(built.record.slug, path);
    files.push({ path, record: built.record, source });
  }
  if (errors.length > 0) throw invalid(errors, 'The content');
  // One RPC to the Durable Object carries the records: stay well inside its 32 MiB message limit.
  const size = files.reduce(
    (sum, f) => sum + f.record.bodyHtml.length + f.record.bodyMarkdown.length,
    0,
  );
  if (size > MAX_SYNC_RECORD_CHARS) {
    throw new ProblemError(
      413,
      'Content Too Large',
      `These files render to ${size} characters; send at most ${MAX_SYNC_RECORD_CHARS} per request (batches with "partial": true, then a last one with "keep": every slug sent before).`,
    );
  }
  const result = await c.var.site.sync(c.var.caller, files, {
    force: json.force === true,
    dryRun: json.dryRun === true,
    partial: json.partial === true,
    keep: Array.isArray(json.keep)
      ? json.keep.filter((k): k is string => typeof k === 'string')
      : [],
  });
  if ('status' in result) {
    // A refused article refuses the sync: nothing was written; each refused slug is listed.
    const title = result.status === 401 ? 'Unauthorized' : 'Forbidden';
    throw new ProblemError(result.status, title, result.detail, {
      extensions: { refused: result.refused ?? [] },
    });
  }
  const blocked = result.plan.conflicts.length > 0 && !result.applied && json.dryRun !== true;
  return c.json(result, blocked ? 409 : 200);
}
