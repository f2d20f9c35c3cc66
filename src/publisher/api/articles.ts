/**
 * The publishing API's article routes: read the request, build the record (documents.ts), and
 * hand it to the Durable Object, which evaluates the preconditions and commits. `curl -X PUT
 * --data-binary @content/<slug>.md` publishes exactly what the CLI would.
 */
import { negotiate } from '../../http/negotiate';
import { ProblemError } from '../../http/problem';
import { articlePath } from '../../views/paths';
import type { WriteResult } from '../api-types';
import { type PublisherContext, siteOrigin } from '../context';
import { serializeDocument } from '../parse-document';
import { revisionTag } from '../site-writer/preconditions';
import { buildFromRequest, DOCUMENT_REPRESENTATIONS, frontMatterOf, tooBig } from './documents';
import { conditionsOf, invalid, slugOf } from './validators';

/** The public URL of an article. */
const publicUrl = (c: PublisherContext, slug: string) => siteOrigin(c) + articlePath(slug);

const notFound = (slug: string) =>
  new ProblemError(404, 'Not Found', `No article "${slug}" exists.`);

/**
 * A write's answer: the new state and whether KV already shows it (`projection.complete`).
 * 201 when the PUT created the article (RFC 9110 §9.3.4). No ETag: what is stored was parsed
 * and rendered, not saved as sent, and §9.3.4 forbids a validator then; the body's `etag` is
 * the tag a GET answers with, for the next If-Match.
 */
function answerWrite(c: PublisherContext, result: WriteResult) {
  if (!result.ok) {
    const title = {
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      409: 'Conflict',
      412: 'Precondition Failed',
    }[result.status];
    throw new ProblemError(result.status, title, result.detail, {
      headers: result.etag ? { ETag: result.etag } : {},
    });
  }
  const published = result.hash !== undefined;
  return c.json(
    {
      slug: result.slug,
      status: result.status,
      hash: result.hash ?? null,
      // The tag GET answers with now, for the next If-Match (a draft's or schedule's too).
      etag:
        (result.current ?? result.hash) ? revisionTag(result.current ?? result.hash ?? '') : null,
      // A draft or removed article has no public URL that serves it.
      url: published ? publicUrl(c, result.slug) : null,
      version: result.version,
      projection: result.projection,
      committedBytes: result.committedBytes,
    },
    result.created ? 201 : 200,
  );
}

export async function listArticles(c: PublisherContext) {
  const { version, articles } = await c.var.site.list();
  const wanted = c.req.query('status');
  return c.json({
    version,
    articles: articles
      .filter((a) => !wanted || a.status === wanted)
      .map((a) => ({
        slug: a.slug,
        status: a.status,
        publishAt: a.publishAt,
        origin: a.origin,
        hash: a.hash,
        etag: revisionTag(a.hash),
        title: a.title,
        datePublished: a.datePublished,
        dateModified: a.dateModified,
        section: a.section ?? null,
        authors: a.authors ?? [],
        tags: a.tags ?? [],
        owner: a.owner,
        changedAt: a.changedAt,
        changedBy: a.changedBy,
      })),
  });
}

/**
 * GET /api/articles/:slug: the article's current revision (its pending draft or scheduled one,
 * else the published one) as the document PUT takes: JSON (front matter fields + `body`, plus the
 * read-only state fields), or with `Accept: text/markdown` the source document itself.
 */
export async function getArticle(c: PublisherContext) {
  const slug = slugOf(c);
  const state = await c.var.site.get(slug);
  const record = state?.draft ?? state?.published;
  if (!state || !record) throw notFound(slug);
  const status = state.draft
    ? state.publishAt
      ? 'scheduled'
      : state.inReview
        ? 'in review'
        : 'draft'
    : 'published';
  const headers = { ETag: revisionTag(record.hash), Vary: 'Accept' };
  if (negotiate(c, DOCUMENT_REPRESENTATIONS)?.mediaType === 'text/markdown') {
    // The document itself, as it was sent (comments, quoting and all); one made from the JSON
    // form is written out from its fields.
    const source = state.source ?? serializeDocument(frontMatterOf(record), record.bodyMarkdown);
    return c.body(source, 200, {
      ...headers,
      'Content-Type': 'text/markdown; charset=utf-8',
    });
  }
  return c.json(
    {
      ...frontMatterOf(record),
      body: record.bodyMarkdown,
      status,
      origin: state.origin,
      owner: state.owner,
      hash: record.hash,
      etag: revisionTag(record.hash),
      url: status === 'published' ? publicUrl(c, slug) : null,
    },
    200,
    headers,
  );
}

export async function listRevisions(c: PublisherContext) {
  const slug = slugOf(c);
  const revisions = await c.var.site.revisions(slug);
  if (revisions.length === 0) throw notFound(slug);
  return c.json({ slug, revisions });
}

export async function putArticle(c: PublisherContext) {
  const slug = slugOf(c);
  const built = await buildFromRequest(c);
  if (built === 'unsupported') {
    throw new ProblemError(
      415,
      'Unsupported Media Type',
      'Send text/markdown (front matter + body) or application/json.',
      { headers: { Accept: 'text/markdown, application/json' } },
    );
  }
  if (!built.ok) throw invalid(built.errors);
  if (built.record.slug !== slug) {
    throw invalid([
      {
        field: 'slug',
        message: `"${built.record.slug}" must equal the slug in the URL, "${slug}"`,
      },
    ]);
  }
  if (tooBig(built.record)) {
    throw new ProblemError(
      413,
      'Content Too Large',
      'The rendered article is too large to store; split it.',
    );
  }
  return answerWrite(
    c,
    await c.var.site.put(c.var.caller, built.record, 'api', conditionsOf(c), built.source),
  );
}

export async function deleteArticle(c: PublisherContext) {
  return answerWrite(c, await c.var.site.remove(c.var.caller, slugOf(c), 'api', conditionsOf(c)));
}

/** POST /api/articles/:slug/rollback[?to=<revision or hash>]: what `npm run publish -- --rollback` does. */
export async function rollbackArticle(c: PublisherContext) {
  const slug = slugOf(c);
  return answerWrite(
    c,
    await c.var.site.rollback(c.var.caller, slug, c.req.query('to'), conditionsOf(c)),
  );
}

/** POST /api/articles/:slug/review: a draft submitted for review (its status becomes "in review"). */
export async function submitArticle(c: PublisherContext) {
  return answerWrite(c, await c.var.site.submit(c.var.caller, slugOf(c)));
}
