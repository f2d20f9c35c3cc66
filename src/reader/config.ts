/**
 * Settings from wrangler.toml `[vars]`, parsed and checked once per isolate. A missing or
 * invalid value falls back to its default (logged once), never to a crash per request.
 */
import { canonicalLanguage } from '../articles/language';
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
  /** `max-age` and `s-maxage` of a 404 (s). */
  notFoundMaxAge: number;
  /** Lifetime of an entry in the Workers Cache API (s). Safe to be long: keys are versioned. */
  edgeCacheTtl: number;
  /** KV `cacheTtl` for records and the index (s, at least 30). */
  kvCacheTtl: number;
  /** KV `cacheTtl` for the small version record (s, at least 30): bounds publish visibility. */
  versionKvCacheTtl: number;
  /** How long an isolate trusts the version it read, before asking KV again (s, may be 0). */
  versionMemoryTtl: number;
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
  notFoundMaxAge: 30,
  edgeCacheTtl: 86_400,
  kvCacheTtl: 86_400,
  versionKvCacheTtl: 30,
  versionMemoryTtl: 5,
  kvDeadlineMs: 2_000,
  memoryCacheBytes: 16 * 1024 * 1024,
  edgeCache: true,
  pageSize: 20,
  feedSize: 20,
  activityPub: { handle: 'news' },
};

/** Var name in wrangler.toml → setting, with the smallest value it may take. */
const NUMERIC_VARS = {
  BROWSER_MAX_AGE: ['browserMaxAge', 0],
  SHARED_MAX_AGE: ['sharedMaxAge', 0],
  STALE_WHILE_REVALIDATE: ['staleWhileRevalidate', 0],
  STALE_IF_ERROR: ['staleIfError', 0],
  NOT_FOUND_MAX_AGE: ['notFoundMaxAge', 0],
  EDGE_CACHE_TTL: ['edgeCacheTtl', 0],
  KV_CACHE_TTL: ['kvCacheTtl', 30],
  VERSION_KV_CACHE_TTL: ['versionKvCacheTtl', 30],
  VERSION_MEMORY_TTL: ['versionMemoryTtl', 0],
  KV_DEADLINE_MS: ['kvDeadlineMs', 1],
  MEMORY_CACHE_BYTES: ['memoryCacheBytes', 0],
  PAGE_SIZE: ['pageSize', 1],
  FEED_SIZE: ['feedSize', 1],
} as const;

type Vars = Partial<
  Record<
    | keyof typeof NUMERIC_VARS
    | 'SITE_NAME'
    | 'SITE_LANG'
    | 'SITE_URL'
    | 'EDGE_CACHE'
    | 'ACTIVITYPUB_HANDLE'
    | 'ACTIVITYPUB_PUBLIC_KEYS'
    | 'ACTIVITYPUB_ICON',
    unknown
  >
>;

const parsed = new WeakMap<object, Config>();

/** @example readConfig(env).browserMaxAge // 60 */
export function readConfig(env: object): Config {
  const known = parsed.get(env);
  if (known) return known;
  const vars = env as Vars;
  const config: Config = { ...DEFAULTS };
  for (const [name, [setting, min]] of Object.entries(NUMERIC_VARS)) {
    const raw = vars[name as keyof typeof NUMERIC_VARS];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min) config[setting] = value;
    else
      console.warn(
        `config: ${name}=${String(raw)} is not an integer ≥ ${min}; using ${config[setting]}`,
      );
  }
  if (typeof vars.SITE_NAME === 'string' && vars.SITE_NAME.trim())
    config.siteName = vars.SITE_NAME.trim();
  if (typeof vars.SITE_LANG === 'string' && vars.SITE_LANG.trim()) {
    const lang = canonicalLanguage(vars.SITE_LANG.trim());
    if (lang) config.siteLang = lang;
    else console.warn(`config: SITE_LANG=${vars.SITE_LANG} is not a language tag; using en`);
  }
  if (typeof vars.SITE_URL === 'string') config.siteUrl = vars.SITE_URL.trim().replace(/\/+$/, '');
  if (vars.EDGE_CACHE === 'off' || vars.EDGE_CACHE === false) config.edgeCache = false;
  config.activityPub = readActivityPub(vars);
  parsed.set(env, config);
  return config;
}

function readActivityPub(vars: Vars): ActivityPubConfig {
  const activityPub: ActivityPubConfig = { handle: DEFAULTS.activityPub.handle };
  const handle = vars.ACTIVITYPUB_HANDLE;
  if (typeof handle === 'string' && handle.trim()) {
    if (HANDLE.test(handle.trim())) activityPub.handle = handle.trim();
    else
      console.warn(`config: ACTIVITYPUB_HANDLE=${handle} is not letters, digits and _; using news`);
  }
  const keys = vars.ACTIVITYPUB_PUBLIC_KEYS;
  if (typeof keys === 'string' && keys.trim()) {
    const parsed = parsePublicKeys(keys);
    if (parsed) activityPub.keys = parsed;
    else
      console.warn(
        'config: ACTIVITYPUB_PUBLIC_KEYS is not {"rsa": PEM, "ed25519": "z…"}; the actor has no keys',
      );
  }
  const icon = vars.ACTIVITYPUB_ICON;
  if (typeof icon === 'string' && /^https:\/\/\S+$/.test(icon.trim()))
    activityPub.icon = icon.trim();
  return activityPub;
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
