/**
 * What both Workers' settings modules share (src/reader/config.ts, src/publisher/config.ts): the
 * valibot fields for values that come from wrangler `[vars]` as text, parsing once per bindings
 * object, and the one way a bad setting is described and logged. Each Worker owns its schema;
 * these are its bricks (here, with the rest of the domain both Workers use).
 */
import * as v from 'valibot';
import { canonicalLanguage } from './language';

/** A setting that does not parse: its name and what it expects. */
export interface SettingProblem {
  setting: string;
  expected: string;
}

export type SettingsResult<T> = { ok: true; config: T } | { ok: false; problems: SettingProblem[] };

export const text = v.optional(v.string(), '');
export const trimmed = v.pipe(text, v.trim());

/** A whole number at least `min`, from its decimal text; `fallback` when unset. */
export const count = (fallback: number, min = 0) =>
  v.pipe(
    text,
    v.trim(),
    v.transform((value) => (value === '' ? String(fallback) : value)),
    v.regex(/^\d+$/, `a whole number of at least ${min}`),
    v.transform(Number),
    v.minValue(min, `a whole number of at least ${min}`),
  );

/** SITE_URL: empty (the request's origin is used), or an origin; kept without a trailing slash. */
export const SiteUrl = v.pipe(
  trimmed,
  v.check((value) => {
    if (value === '') return true;
    const url = URL.parse(value);
    return (
      !!url &&
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.pathname === '/' &&
      !url.search &&
      !url.hash
    );
  }, 'empty, or an origin such as https://news.example.com'),
  v.transform((value) => value.replace(/\/+$/, '')),
);

/** SITE_LANG: a BCP 47 tag, canonicalised; `en` when unset. */
export const SiteLang = v.pipe(
  trimmed,
  v.transform((value) => (value === '' ? 'en' : value)),
  v.check((value) => canonicalLanguage(value) !== undefined, 'a BCP 47 language tag, such as en'),
  v.transform((value) => canonicalLanguage(value) ?? 'en'),
);

export const SiteName = v.pipe(
  trimmed,
  v.transform((value) => value || 'kvpress'),
);

/**
 * Parses the settings named by `schema`'s entries out of `bindings` (a Worker's env, or a config's
 * [vars]). Only those keys are read: bindings such as KV namespaces are not settings. A var that
 * wrangler typed (a number, a boolean) is read as its text.
 */
export function parseSettings<S extends v.ObjectSchema<v.ObjectEntries, undefined>>(
  schema: S,
  bindings: object,
): { ok: true; output: v.InferOutput<S> } | { ok: false; problems: SettingProblem[] } {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(schema.entries)) {
    const value = (bindings as Record<string, unknown>)[key];
    if (value !== undefined) values[key] = typeof value === 'string' ? value : String(value);
  }
  const result = v.safeParse(schema, values);
  if (result.success) return { ok: true, output: result.output };
  return {
    ok: false,
    problems: result.issues.map((issue) => ({
      setting: String(issue.path?.[0]?.key ?? '?'),
      expected: issue.message,
    })),
  };
}

/**
 * `parse`, once per bindings object (a Worker's env is one object per isolate): each Worker's
 * settings are read through one of these.
 */
export function parsedOnce<T>(
  parse: (bindings: object) => SettingsResult<T>,
): (bindings: object) => SettingsResult<T> {
  const parsed = new WeakMap<object, SettingsResult<T>>();
  return (bindings) => {
    let result = parsed.get(bindings);
    if (!result) {
      result = parse(bindings);
      parsed.set(bindings, result);
    }
    return result;
  };
}

/**
 * Logs a bad setting once per bindings object, and says what every request is answered:
 * `misconfigured(env, problems)` → the detail of the 503, naming each setting.
 */
export function reportOnce(): (bindings: object, problems: readonly SettingProblem[]) => string {
  const reported = new WeakSet<object>();
  return (bindings, problems) => {
    const what = describeProblems(problems);
    if (!reported.has(bindings)) {
      reported.add(bindings);
      console.error(`settings: ${what}. Every request is answered 503 until they are fixed.`);
    }
    return what;
  };
}

/** One line for all problems: `NAME: expected …; NAME: expected …`. */
export const describeProblems = (problems: readonly SettingProblem[]): string =>
  problems.map((p) => `${p.setting}: expected ${p.expected}`).join('; ');
