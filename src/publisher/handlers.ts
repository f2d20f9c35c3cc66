/**
 * The publishing API's handlers: the same parser, schema, renderer and publish planner as
 * `npm run publish`, so `curl -X PUT --data-binary @content/<slug>.md` publishes exactly what
 * the CLI would. Loaded lazily by routes/publish-api.ts.
 */
import type { Context } from 'hono';
import { draftKey } from '../articles/keys';
import { SLUG_PATTERN } from '../articles/schema';
import { describeError } from '../describe-error';
import { siteOrigin } from '../http/site-url';
import type { AppEnv } from '../reader/env';
import { apiProblem } from '../reader/routes/errors';
import { articlePath } from '../views/paths';
import { type BuildResult, buildArticleRecord, buildFromParts, decodeUtf8 } from './build-record';
import { PublishBusy, withPublishLock } from './lock';
import { applyPlan, type KvEntry, planChanges } from './plan';
import { readHistories, readPublishedState } from './published-state';

const notPublished = (c: Context<AppEnv>, slug: string) =>
  apiProblem(c, {
    status: 404,
    title: 'Not Found',
    detail: `No article "${slug.slice(0, 120)}" is published.`,
  });

/** The API's validator of a published article: its content hash, strong. */
const apiTag = (hash: string) => `"${hash}"`;

async function publishedState(c: Context<AppEnv>) {
  return readPublishedState(c.var.store);
}

export async function listArticles(c: Context<AppEnv>) {
  const state = await publishedState(c);
  return c.json({
    version: state.version,
    articles: state.articles.map((a) => ({
      slug: a.slug,
      hash: a.hash,
      etag: apiTag(a.hash),
      title: a.title,
      datePublished: a.datePublished,
      dateModified: a.dateModified,
    })),
  });
}

export async function getArticle(c: Context<AppEnv>) {
  const slug = c.req.param('slug') ?? '';
  const state = await publishedState(c);
  const summary = state.articles.find((a) => a.slug === slug);
  const record = summary ? await c.var.store.readArticle(slug, summary.hash) : null;
  if (!record) return notPublished(c, slug);
  return c.json(record, 200, { ETag: apiTag(record.hash) });
}

/** Reads the request body as a document: Markdown with front matter, or JSON fields + body. */
async function buildFromRequest(c: Context<AppEnv>): Promise<BuildResult | 'unsupported'> {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'text/markdown' && type !== 'application/json') return 'unsupported';
  const decoded = decodeUtf8(new Uint8Array(await c.req.arrayBuffer()));
  if ('error' in decoded) return { ok: false, errors: [decoded.error] };
  if (type === 'text/markdown') return buildArticleRecord(decoded.text);
  return buildFromJson(decoded.text);
}

/** The JSON form: the front matter fields plus `body`, the article text in Markdown. */
function buildFromJson(text: string): Promise<BuildResult> | BuildResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, errors: [{ field: 'body', message: 'is not valid JSON' }] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, errors: [{ field: 'body', message: 'must be a JSON object' }] };
  }
  const { body, ...fields } = json as Record<string, unknown>;
  if (typeof body !== 'string') {
    return {
      ok: false,
      errors: [{ field: 'body', message: 'must be the article text, in Markdown' }],
    };
  }
  return buildFromParts(fields, body);
}

/** Writes a plan through the worker's KV binding (in parallel within each phase). */
const putInto = (kv: KVNamespace) => async (entries: readonly KvEntry[]) => {
  await Promise.all(entries.map(({ key, value }) => kv.put(key, value)));
};

/**
 * Applies a plan; a write that fails leaves the pointer where it was (applyPlan writes it last),
 * so readers keep the previous version, whole. Returns a 503 answer in that case.
 */
async function publishOr503(c: Context<AppEnv>, plan: Parameters<typeof applyPlan>[0]) {
  try {
    await applyPlan(plan, putInto(c.env.ARTICLES));
    return undefined;
  } catch (error) {
    console.error(
      `publish: a KV write failed, the published version is unchanged: ${describeError(error)}`,
    );
    return apiProblem(
      c,
      {
        status: 503,
        title: 'Service Unavailable',
        detail: 'A write to the store failed; nothing was published. Retry the same request.',
      },
      { 'Retry-After': '5' },
    );
  }
}

/** Runs a publish under the lock; a lock that stays busy is a 503 the client retries. */
async function locked(c: Context<AppEnv>, work: () => Promise<Response>): Promise<Response> {
  try {
    return await withPublishLock(work);
  } catch (error) {
    if (!(error instanceof PublishBusy)) throw error;
    return apiProblem(
      c,
      {
        status: 503,
        title: 'Service Unavailable',
        detail: 'Another publish is running. Retry shortly.',
      },
      { 'Retry-After': '2' },
    );
  }
}

export async function putArticle(c: Context<AppEnv>) {
  const slug = c.req.param('slug') ?? '';
  if (!SLUG_PATTERN.test(slug)) return notPublished(c, slug);
  const built = await buildFromRequest(c);
  if (built === 'unsupported') {
    return apiProblem(
      c,
      {
        status: 415,
        title: 'Unsupported Media Type',
        detail: 'Send text/markdown (front matter + body) or application/json.',
      },
      { Accept: 'text/markdown, application/json' },
    );
  }
  const errors = built.ok
    ? built.record.slug === slug
      ? []
      : [
          {
            field: 'slug',
            message: `"${built.record.slug}" must equal the slug in the URL, "${slug}"`,
          },
        ]
    : built.errors;
  if (!built.ok || errors.length > 0) {
    return apiProblem(c, {
      status: 422,
      title: 'Unprocessable Content',
      detail: `The document has ${errors.length} problem(s); see errors.`,
      errors,
    });
  }
  const record = built.record;

  return locked(c, async () => {
    const state = await publishedState(c);
    const live = state.articles.find((a) => a.slug === slug);
    const failed = preconditionFails(c, live?.hash);
    if (failed) return failed;
    const plan = await planChanges({
      current: state.articles,
      puts: [record],
      deletes: [],
      histories: await readHistories(c.var.store, [slug]),
    });
    const failed503 = await publishOr503(c, plan);
    if (failed503) return failed503;
    c.var.published.adopt(plan.index);
    // A published article has no pending draft any more.
    if (!record.draft) await c.env.ARTICLES.delete(draftKey(slug));
    const status = record.draft
      ? 'draft'
      : !live
        ? 'added'
        : live.hash === record.hash
          ? 'unchanged'
          : 'changed';
    const url = siteOrigin(c) + articlePath(slug);
    return c.json(
      {
        slug,
        hash: record.hash,
        status,
        url,
        version: plan.pointer ? plan.index.hash : state.version,
      },
      live || record.draft ? 200 : 201,
      // A draft is not a published revision: no validator to match, no URL that serves it.
      record.draft ? {} : { ETag: apiTag(record.hash), ...(live ? {} : { Location: url }) },
    );
  });
}

export async function deleteArticle(c: Context<AppEnv>) {
  const slug = c.req.param('slug') ?? '';
  return locked(c, async () => {
    const state = await publishedState(c);
    const live = state.articles.find((a) => a.slug === slug);
    if (!live) return notPublished(c, slug);
    const failed = preconditionFails(c, live.hash);
    if (failed) return failed;
    const plan = await planChanges({
      current: state.articles,
      puts: [],
      deletes: [slug],
      histories: await readHistories(c.var.store, [slug]),
    });
    const failed503 = await publishOr503(c, plan);
    if (failed503) return failed503;
    c.var.published.adopt(plan.index);
    return c.json({ slug, status: 'removed', version: plan.index.hash });
  });
}

/**
 * RFC 9110 §13.1.1/§13.1.2 for writes, against the published revision: If-Match (strong;
 * `*` means "exists") and If-None-Match (`*` means "create only"). No lost updates.
 */
function preconditionFails(c: Context<AppEnv>, liveHash: string | undefined) {
  const current = liveHash ? apiTag(liveHash) : undefined;
  const ifMatch = c.req.header('If-Match');
  const ifNoneMatch = c.req.header('If-None-Match');
  const tags = (field: string) => field.split(',').map((tag) => tag.trim());
  const matchFails =
    ifMatch !== undefined &&
    (current === undefined || (ifMatch.trim() !== '*' && !tags(ifMatch).includes(current)));
  const noneMatchFails =
    ifNoneMatch !== undefined &&
    current !== undefined &&
    (ifNoneMatch.trim() === '*' || tags(ifNoneMatch).includes(current));
  if (!matchFails && !noneMatchFails) return undefined;
  return apiProblem(
    c,
    {
      status: 412,
      title: 'Precondition Failed',
      detail: current
        ? `The published revision is ${current}; fetch it and retry with If-Match.`
        : 'The article is not published.',
    },
    current ? { ETag: current } : {},
  );
}
