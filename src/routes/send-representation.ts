/**
 * The one way a route answers with a representation: validators first (304/412 without
 * rendering), then the rendered body with an exact Content-Length, which HEAD keeps.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { CACHE_CONTROL } from '../http/cache-policy';
import { evaluateConditions, formatHttpDate, type Validators } from '../http/conditional';
import { respondWithError } from './errors';

export interface RepresentationAnswer {
  contentType: string;
  validators: Validators;
  /** Headers for the 200 and the 304 alike: Vary, Content-Location, Link… */
  headers: Record<string, string>;
  render: () => string | Promise<string>;
}

const encoder = new TextEncoder();

export async function sendRepresentation(c: Context<AppEnv>, answer: RepresentationAnswer) {
  const { etag, lastModified } = answer.validators;
  const headers: Record<string, string> = {
    'Cache-Control': CACHE_CONTROL.representation,
    ...answer.headers,
    ETag: etag,
  };
  if (lastModified) headers['Last-Modified'] = formatHttpDate(lastModified);

  const outcome = evaluateConditions(
    {
      method: c.req.method,
      ifMatch: c.req.header('If-Match'),
      ifNoneMatch: c.req.header('If-None-Match'),
      ifModifiedSince: c.req.header('If-Modified-Since'),
      ifUnmodifiedSince: c.req.header('If-Unmodified-Since'),
    },
    answer.validators,
  );
  // §15.4.5: a 304 carries the headers a 200 would have for caches to update, and no body.
  if (outcome === 'not-modified') return c.body(null, 304, headers);
  if (outcome === 'precondition-failed') {
    if (answer.headers.Vary) c.header('Vary', answer.headers.Vary);
    return respondWithError(c, {
      status: 412,
      title: 'Precondition Failed',
      detail: `The current representation has the entity tag ${etag}.`,
    });
  }

  // TextEncoder always allocates a fresh ArrayBuffer; the types allow a shared one.
  const body = encoder.encode(await answer.render()) as Uint8Array<ArrayBuffer>;
  headers['Content-Type'] = answer.contentType;
  headers['Content-Length'] = String(body.byteLength);
  return c.body(body, 200, headers);
}
