/**
 * What every API route checks before its handler runs, written once: the article's slug in the
 * URL (a validator middleware), the request's preconditions, and the 422 that lists each field.
 */
import { validator } from 'hono/validator';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../../articles/schema';
import { ProblemError } from '../../http/problem';
import type { FieldError } from '../build-record';
import type { PublisherContext } from '../context';

export const conditionsOf = (c: PublisherContext) => ({
  ifMatch: c.req.header('If-Match'),
  ifNoneMatch: c.req.header('If-None-Match'),
});

/** A 422 listing each field's problem. */
export const invalid = (errors: FieldError[], what = 'The document') =>
  new ProblemError(
    422,
    'Unprocessable Content',
    `${what} has ${errors.length} problem(s); see errors.`,
    {
      extensions: { errors },
    },
  );

export const validSlug = (slug: string) =>
  SLUG_PATTERN.test(slug) && slug.length <= SLUG_MAX_LENGTH;

/**
 * The `:slug` of every /api/articles/:slug route, checked once before its handler (a validator,
 * not a prologue in each): a 422 that says what a slug is.
 */
export const slugParam = validator('param', (params: Record<string, string>) => {
  const slug = params.slug ?? '';
  if (!validSlug(slug)) {
    throw invalid(
      [
        {
          field: 'slug',
          message: `"${slug.slice(0, 120)}" in the URL must be lowercase letters and digits joined by single hyphens, at most ${SLUG_MAX_LENGTH} characters`,
        },
      ],
      'The request',
    );
  }
  return { slug };
});

/** The validated slug (slugParam ran first). */
export const slugOf = (c: PublisherContext): string => c.req.param('slug') ?? '';
