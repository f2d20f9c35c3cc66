/**
 * The reader's settings: one valibot schema over its bindings (reader-configuration.d.ts, generated
 * from wrangler.toml), every value parsed, trimmed and defaulted here and nowhere else, once per
 * bindings object. An unset value takes its default; a bad one is no fallback: every request is
 * answered 503 naming the setting and what it expects (index.ts; logged once), and the deploy
 * guard and the dry run refuse it (scripts/cli/check-settings.ts).
 */
import * as v from 'valibot';
import {
  count,
  parsedOnce,
  parseSettings,
  type SettingsResult,
  SiteLang,
  SiteName,
  SiteUrl,
  trimmed,
} from '../articles/settings';
import type { ActorKeys } from '../views/activity';

export interface Config {
  siteName: string;
  /** The site's language (BCP 47, `SITE_LANG`): pages, feeds and JSON-LD, unless an article has its own. */
  siteLang: string;
  /** Configured origin without a trailing slash, or '' to use the request's origin. */
  siteUrl: string;
  /** Browsers: `max-age` of a representation (s). */
  browserMaxAge: number;
  /** Shared caches downstream: `s-maxage` (s). */
  sharedMaxAge: number;
  staleWhileRevalidate: number;
  staleIfError: number;
  /** Lifetime of an entry in the Workers Cache API (s). Safe to be long: keys are versioned. */
  edgeCacheTtl: number;
  /** KV `cacheTtl` for records and the index (s, at least 30). */
  kvCacheTtl: number;
  /** KV `cacheTtl` for the small version record (s, at least 30): bounds publish visibility. */
  versionKvCacheTtl: number;
  /** Knowledge of the current version this old is refreshed in the background (ms). */
  versionRefreshMs: number;
  /** Knowledge this old is never used: the request waits for the sources (ms): the bound. */
  versionMaxAgeMs: number;
  /** How long a request waits for the publisher's answer before the KV pointer (ms). */
  publisherDeadlineMs: number;
  /** A KV read slower than this fails over to a cached copy or a 503 (ms). */
  kvDeadlineMs: number;
  /** Byte budget of the in-isolate response cache (0 disables it). */
  memoryCacheBytes: number;
  /** Whether the Workers Cache API tier is used at all. */
  edgeCache: boolean;
  /** Articles per home page. */
  pageSize: number;
  /** Entries in each feed (the newest). */
  feedSize: number;
  /** The site's ActivityPub actor: its handle (`news` → `@news@<host>`), public keys, avatar. */
  activityPub: ActivityPubConfig;
}

export interface ActivityPubConfig {
  handle: string;
  /** `ACTIVITYPUB_PUBLIC_KEYS`, written by `npm run activitypub:keys`; none: the actor has no keys. */
  keys?: ActorKeys;
  /** `ACTIVITYPUB_ICON`: the avatar's absolute URL (Mastodon shows PNG, JPEG, GIF or WebP). */
  icon?: string;
}

/** A handle: what Mastodon accepts as a username (letters, digits, underscores). */
const HANDLE = /^[A-Za-z0-9_]{1,30}$/;

export const DEFAULTS: Config = {
  siteName: 'kvpress',
  siteLang: 'en',
  siteUrl: '',
  browserMaxAge: 60,
  sharedMaxAge: 60,
  staleWhileRevalidate: 60,
  staleIfError: 86_400,
  edgeCacheTtl: 86_400,
  kvCacheTtl: 86_400,
  versionKvCacheTtl: 30,
  versionRefreshMs: 500,
  versionMaxAgeMs: 2_000,
  publisherDeadlineMs: 500,
  kvDeadlineMs: 2_000,
  memoryCacheBytes: 16 * 1024 * 1024,
  edgeCache: true,
  pageSize: 20,
  feedSize: 20,
  activityPub: { handle: 'news' },
};

const Handle = v.pipe(
  trimmed,
  v.transform((value) => value || DEFAULTS.activityPub.handle),
  v.regex(HANDLE, 'letters, digits and _ (at most 30), such as news'),
);

const PublicKeys = v.pipe(
  trimmed,
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    if (dataset.value === '') return undefined;
    const keys = parsePublicKeys(dataset.value);
    if (keys) return keys;
    addIssue({
      message: 'empty, or {"rsa": PEM, "ed25519": "z…"} as npm run activitypub:keys writes it',
    });
    return NEVER;
  }),
);

const Icon = v.pipe(
  trimmed,
  v.check((value) => value === '' || /^https:\/\/\S+$/.test(value), 'empty, or an https URL'),
);

const EdgeCache = v.pipe(
  trimmed,
  v.picklist(['', 'on', 'off', 'true', 'false'], 'on or off'),
  v.transform((value) => value !== 'off' && value !== 'false'),
);

/** The reader's settings: wrangler.toml [vars] (reader-configuration.d.ts), with their least values. */
const Schema = v.object({
  SITE_NAME: SiteName,
  SITE_LANG: SiteLang,
  SITE_URL: SiteUrl,
  BROWSER_MAX_AGE: count(DEFAULTS.browserMaxAge),
  SHARED_MAX_AGE: count(DEFAULTS.sharedMaxAge),
  STALE_WHILE_REVALIDATE: count(DEFAULTS.staleWhileRevalidate),
  STALE_IF_ERROR: count(DEFAULTS.staleIfError),
  EDGE_CACHE_TTL: count(DEFAULTS.edgeCacheTtl),
  // KV refuses a cacheTtl under 30 s.
  KV_CACHE_TTL: count(DEFAULTS.kvCacheTtl, 30),
  VERSION_KV_CACHE_TTL: count(DEFAULTS.versionKvCacheTtl, 30),
  VERSION_REFRESH_MS: count(DEFAULTS.versionRefreshMs),
  VERSION_MAX_AGE_MS: count(DEFAULTS.versionMaxAgeMs),
  PUBLISHER_DEADLINE_MS: count(DEFAULTS.publisherDeadlineMs, 1),
  KV_DEADLINE_MS: count(DEFAULTS.kvDeadlineMs, 1),
  MEMORY_CACHE_BYTES: count(DEFAULTS.memoryCacheBytes),
  EDGE_CACHE: EdgeCache,
  PAGE_SIZE: count(DEFAULTS.pageSize, 1),
  FEED_SIZE: count(DEFAULTS.feedSize, 1),
  ACTIVITYPUB_HANDLE: Handle,
  ACTIVITYPUB_PUBLIC_KEYS: PublicKeys,
  ACTIVITYPUB_ICON: Icon,
});

export type ReaderSettings = SettingsResult<Config>;

/** The settings in `bindings` (the reader's env, or wrangler.toml's [vars]), parsed once per object. */
export const readReaderSettings = parsedOnce(parse);

/**
 * The settings, or the defaults while they are invalid: only for the answer that says so (the
 * 503 page needs a site name and language). Every other caller goes through readReaderSettings.
 * @example readConfig(env).browserMaxAge // 60
 */
export function readConfig(bindings: object): Config {
  const result = readReaderSettings(bindings);
  return result.ok ? result.config : DEFAULTS;
}

function parse(bindings: object): ReaderSettings {
  const result = parseSettings(Schema, bindings);
  if (!result.ok) return result;
  const s = result.output;
  return {
    ok: true,
    config: {
      siteName: s.SITE_NAME,
      siteLang: s.SITE_LANG,
      siteUrl: s.SITE_URL,
      browserMaxAge: s.BROWSER_MAX_AGE,
      sharedMaxAge: s.SHARED_MAX_AGE,
      staleWhileRevalidate: s.STALE_WHILE_REVALIDATE,
      staleIfError: s.STALE_IF_ERROR,
      edgeCacheTtl: s.EDGE_CACHE_TTL,
      kvCacheTtl: s.KV_CACHE_TTL,
      versionKvCacheTtl: s.VERSION_KV_CACHE_TTL,
      versionRefreshMs: s.VERSION_REFRESH_MS,
      versionMaxAgeMs: s.VERSION_MAX_AGE_MS,
      publisherDeadlineMs: s.PUBLISHER_DEADLINE_MS,
      kvDeadlineMs: s.KV_DEADLINE_MS,
      memoryCacheBytes: s.MEMORY_CACHE_BYTES,
      edgeCache: s.EDGE_CACHE,
      pageSize: s.PAGE_SIZE,
      feedSize: s.FEED_SIZE,
      activityPub: {
        handle: s.ACTIVITYPUB_HANDLE,
        ...(s.ACTIVITYPUB_PUBLIC_KEYS ? { keys: s.ACTIVITYPUB_PUBLIC_KEYS } : {}),
        ...(s.ACTIVITYPUB_ICON ? { icon: s.ACTIVITYPUB_ICON } : {}),
      },
    },
  };
}

/** The public keys as `npm run activitypub:keys` writes them, or undefined when they are not. */
export function parsePublicKeys(text: string): ActorKeys | undefined {
  try {
    const value = JSON.parse(text) as { rsa?: unknown; ed25519?: unknown };
    if (
      typeof value.rsa === 'string' &&
      value.rsa.startsWith('-----BEGIN PUBLIC KEY-----') &&
      typeof value.ed25519 === 'string' &&
      /^z[1-9A-HJ-NP-Za-km-z]{40,60}$/.test(value.ed25519)
    ) {
      return { rsa: value.rsa, ed25519: value.ed25519 };
    }
  } catch {
    // not JSON: refused below
  }
  return undefined;
}
