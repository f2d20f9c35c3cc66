/**
 * Private previews: an unguessable, expiring, revocable link to an article's current revision
 * (a draft or a scheduled one, else the published one), for an editor to send to a colleague
 * without the API token. The token is 32 random bytes; the Durable Object stores only its
 * SHA-256, so its storage cannot be turned back into links. A tampered, expired or revoked link
 * is a 404 that says nothing about the article. The page is the public page, marked as a
 * preview, and stored by no cache (`private, no-store`), indexed by no robot, and sends no
 * `Referer`.
 *
 * The token never travels in a request line, which request logs keep (wrangler's, and the
 * platform's invocation logs of both Workers): the link is `/preview#<token>`, and a fragment
 * is never sent. `GET /preview` is a form with one field, the preview key; its one inline
 * script (allowed by its hash, nothing else) moves the key from the fragment into the form,
 * takes the fragment off the address bar, and submits: `POST /preview` answers with the page.
 * Without JavaScript the key is pasted into the form by hand.
 */

import { ProblemError } from '../http/problem';
import { STYLES_CSP_HASH } from '../render-version';
import { ArticlePage } from '../views/article-page';
import { ErrorPage } from '../views/error-page';
import { articlePath } from '../views/paths';
import { PREVIEW_KEY_SCRIPT, PreviewKeyPage } from '../views/preview-key-page';
import { invalid, slugOf } from './api/validators';
import { newSecret, sha256Hex } from './auth';
import { type PublisherContext, siteOrigin } from './context';
import { inlineScriptSource } from './inline-script';

/** Links live 7 days unless asked otherwise, and at most 30. */
const DEFAULT_TTL_SECONDS = 7 * 86_400;
const MAX_TTL_SECONDS = 30 * 86_400;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Where previews open: the token follows as the fragment, which no request carries. */
export const PREVIEW_PATH = '/preview';

/** A refusal of the Durable Object's, as problem+json. */
const refusedBy = (refused: { status: 401 | 403; detail: string }) =>
  new ProblemError(
    refused.status,
    refused.status === 401 ? 'Unauthorized' : 'Forbidden',
    refused.detail,
  );

const siteName = (c: PublisherContext) => c.var.config.siteName;
const siteLang = (c: PublisherContext) => c.var.config.siteLang;

/** POST /api/articles/:slug/preview[?ttl=<seconds>]: a new link, 201 with its URL and expiry. */
export async function createPreview(c: PublisherContext) {
  const slug = slugOf(c);
  const ttlParam = c.req.query('ttl');
  const ttl = ttlParam === undefined ? DEFAULT_TTL_SECONDS : Number(ttlParam);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    throw invalid(
      [
        {
          field: 'ttl',
          message: `${JSON.stringify(ttlParam)} must be whole seconds from 1 to ${MAX_TTL_SECONDS}`,
        },
      ],
      'The request',
    );
  }
  const token = newSecret();
  const expiresAt = Date.now() + ttl * 1000;
  const made = await c.var.site.createPreview(
    c.var.caller,
    slug,
    await sha256Hex(token),
    expiresAt,
  );
  if (typeof made === 'object') throw refusedBy(made);
  if (!made) throw new ProblemError(404, 'Not Found', `No article "${slug}" exists.`);
  return c.json(
    {
      slug,
      url: `${siteOrigin(c)}${PREVIEW_PATH}#${token}`,
      expiresAt: new Date(expiresAt).toISOString(),
    },
    201,
  );
}

/** DELETE /api/articles/:slug/preview: revokes every link of the article. */
export async function revokePreviews(c: PublisherContext) {
  const slug = slugOf(c);
  const revoked = await c.var.site.revokePreviews(c.var.caller, slug);
  if (typeof revoked === 'object' && revoked !== null) throw refusedBy(revoked);
  if (revoked === null) throw new ProblemError(404, 'Not Found', `No article "${slug}" exists.`);
  return c.json({ slug, revoked });
}

const PAGE_HEADERS = {
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  'Referrer-Policy': 'no-referrer',
};

/** GET /preview: the form that takes the key (from the link's fragment, or pasted). */
export async function previewKeyForm(c: PublisherContext) {
  const page = await (<PreviewKeyPage siteName={siteName(c)} lang={siteLang(c)} />).toString();
  return c.html(page, 200, {
    ...PAGE_HEADERS,
    'Content-Security-Policy': [
      "default-src 'none'",
      `style-src ${STYLES_CSP_HASH}`,
      `script-src ${await inlineScriptSource(PREVIEW_KEY_SCRIPT)}`,
      "img-src 'self' https:",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
  });
}

/** POST /preview (a form with `token`): the page, exactly as it will be published, marked. */
export async function showPreview(c: PublisherContext) {
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const token = typeof form.token === 'string' ? form.token.trim() : '';
  const found = TOKEN.test(token) ? await c.var.site.preview(await sha256Hex(token)) : null;
  const headers = PAGE_HEADERS;
  if (!found) {
    const page = await (
      <ErrorPage
        siteName={siteName(c)}
        lang={siteLang(c)}
        title="Not Found"
        detail="There is no preview for this key: it may have expired or been revoked."
      />
    ).toString();
    return c.html(page, 404, headers);
  }
  const { record, expiresAt, pending } = found;
  const page = await (
    <ArticlePage
      article={record}
      siteName={siteName(c)}
      siteLang={siteLang(c)}
      url={siteOrigin(c) + articlePath(record.slug)}
      preview={{ expiresAt, pending }}
    />
  ).toString();
  return c.html(page, 200, headers);
}
