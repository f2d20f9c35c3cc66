/**
 * The publisher's settings: one valibot schema over its bindings (publisher-configuration.d.ts,
 * generated from wrangler.publisher.toml), every value parsed, trimmed and defaulted here and
 * nowhere else, once per bindings object. A bad setting is no fallback: every request is answered
 * 503 naming the setting and what it expects (index.ts; logged once), and the deploy guard and
 * the dry run refuse it (scripts/cli/check-settings.ts reads the configs through this schema).
 */
import * as v from 'valibot';
import {
  count,
  describeProblems,
  parsedOnce,
  parseSettings,
  type SettingsResult,
  SiteLang,
  SiteName,
  SiteUrl,
  trimmed,
} from '../articles/settings';
import { MIN_TOKEN_LENGTH } from './api-types';

/** A webhook subscriber: where events go, and the secret they are signed with. */
export interface Subscriber {
  url: string;
  secret: string;
}

export interface PublisherConfig {
  /** SITE_URL without its trailing slash, or '' (the request's origin is used). */
  siteUrl: string;
  siteName: string;
  /** SITE_LANG, canonical BCP 47. */
  siteLang: string;
  /** PUBLISH_TOKEN, or undefined: the API is off (404). */
  publishToken?: string;
  /** Seconds a superseded KV key is kept after the pointer stops naming it. */
  gcGraceSeconds: number;
  /** Least time between two writes of the pointer (KV: one write per second to a key). */
  pointerIntervalMs: number;
  /** First retry delay of a failed delivery (ms), doubling. */
  webhookRetryMs: number;
  /**
   * How long after a version becomes readable its webhooks and ActivityPub activities are sent
   * (ms): longer than the readers' VERSION_MAX_AGE_MS, so every reader serves what they announce.
   */
  announceAfterMs: number;
  webhooks: Subscriber[];
  activityPub: {
    privateKeys?: string;
    publicKeys?: string;
    /** Loopback peers stand in for public servers (the tests); never when deployed. */
    allowPrivate: boolean;
  };
  /** Cloudflare Access in front of the newsroom (people/access.ts), when configured. */
  access?: { teamDomain: string; audience: string; certsUrl: string };
  /** npm start's one-time local sign-in link; never in a deploy (the deploy guard refuses it). */
  localSignIn: boolean;
  /** SITE_TIMEZONE (IANA), the zone the newsroom shows times in; `UTC` when unset. */
  siteTimeZone: string;
}

const Token = v.pipe(
  trimmed,
  v.check(
    (value) => value === '' || value.length >= MIN_TOKEN_LENGTH,
    `at least ${MIN_TOKEN_LENGTH} characters`,
  ),
);

const SubscriberSchema = v.object({
  url: v.pipe(v.string(), v.regex(/^https?:\/\//, 'an http(s) URL')),
  secret: v.pipe(v.string(), v.minLength(16, 'at least 16 characters')),
});

const Webhooks = v.pipe(
  trimmed,
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    if (dataset.value === '') return [];
    let json: unknown;
    try {
      json = JSON.parse(dataset.value);
    } catch {
      addIssue({ message: 'a JSON list of {"url", "secret"}' });
      return NEVER;
    }
    const parsed = v.safeParse(v.array(SubscriberSchema), json);
    if (!parsed.success) {
      addIssue({ message: `a JSON list of {"url", "secret"}: ${v.summarize(parsed.issues)}` });
      return NEVER;
    }
    return parsed.output;
  }),
);

const Flag = v.pipe(trimmed, v.picklist(['', 'true', 'false'], 'true or false'));

/** ACCESS_TEAM_DOMAIN: https://<team>.cloudflareaccess.com, kept without a trailing slash. */
const TeamDomain = v.pipe(
  trimmed,
  v.check((value) => {
    const url = value === '' ? null : URL.parse(value);
    return value === '' || (url?.protocol === 'https:' && url.pathname === '/');
  }, 'empty, or https://<team>.cloudflareaccess.com'),
  v.transform((value) => value.replace(/\/+$/, '')),
);

/** ACCESS_CERTS_URL: the tests' stand-in for the team's keys, on loopback only. */
const CertsUrl = v.pipe(
  trimmed,
  v.check((value) => {
    const url = value === '' ? null : URL.parse(value);
    return value === '' || (url?.protocol === 'http:' && url.hostname === '127.0.0.1');
  }, "empty (the team's own keys), or an http://127.0.0.1 URL in tests"),
);

/** SITE_TIMEZONE: an IANA zone the runtime knows (Europe/London), `UTC` when unset. */
const TimeZone = v.pipe(
  trimmed,
  v.transform((value) => value || 'UTC'),
  v.check((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone, such as Europe/London'),
);

const Schema = v.object({
  SITE_URL: SiteUrl,
  SITE_NAME: SiteName,
  SITE_LANG: SiteLang,
  PUBLISH_TOKEN: Token,
  GC_GRACE_SECONDS: count(3600),
  POINTER_INTERVAL_MS: count(1000),
  WEBHOOK_RETRY_MS: count(10_000, 1),
  ANNOUNCE_AFTER_MS: count(3_000),
  WEBHOOKS: Webhooks,
  ACTIVITYPUB_PRIVATE_KEYS: trimmed,
  ACTIVITYPUB_PUBLIC_KEYS: trimmed,
  ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS: Flag,
  ACCESS_TEAM_DOMAIN: TeamDomain,
  ACCESS_AUD: trimmed,
  ACCESS_CERTS_URL: CertsUrl,
  LOCAL_SIGN_IN: Flag,
  SITE_TIMEZONE: TimeZone,
});

export type ConfigResult = SettingsResult<PublisherConfig>;
export { describeProblems };

/** The settings in `bindings` (a Worker's env, or a config's [vars]), parsed once per object. */
export const readPublisherConfig = parsedOnce(parse);

function parse(bindings: object): ConfigResult {
  const result = parseSettings(Schema, bindings);
  if (!result.ok) return result;
  const s = result.output;
  if ((s.ACCESS_TEAM_DOMAIN === '') !== (s.ACCESS_AUD === '')) {
    const missing = s.ACCESS_AUD === '' ? 'ACCESS_AUD' : 'ACCESS_TEAM_DOMAIN';
    return {
      ok: false,
      problems: [{ setting: missing, expected: 'set with its pair (Access needs both)' }],
    };
  }
  const access = s.ACCESS_TEAM_DOMAIN
    ? {
        teamDomain: s.ACCESS_TEAM_DOMAIN,
        audience: s.ACCESS_AUD,
        certsUrl: s.ACCESS_CERTS_URL || `${s.ACCESS_TEAM_DOMAIN}/cdn-cgi/access/certs`,
      }
    : undefined;
  return {
    ok: true,
    config: {
      siteUrl: s.SITE_URL,
      siteName: s.SITE_NAME,
      siteLang: s.SITE_LANG,
      ...(s.PUBLISH_TOKEN ? { publishToken: s.PUBLISH_TOKEN } : {}),
      gcGraceSeconds: s.GC_GRACE_SECONDS,
      pointerIntervalMs: s.POINTER_INTERVAL_MS,
      webhookRetryMs: s.WEBHOOK_RETRY_MS,
      announceAfterMs: s.ANNOUNCE_AFTER_MS,
      webhooks: s.WEBHOOKS,
      activityPub: {
        ...(s.ACTIVITYPUB_PRIVATE_KEYS ? { privateKeys: s.ACTIVITYPUB_PRIVATE_KEYS } : {}),
        ...(s.ACTIVITYPUB_PUBLIC_KEYS ? { publicKeys: s.ACTIVITYPUB_PUBLIC_KEYS } : {}),
        allowPrivate: s.ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS === 'true',
      },
      ...(access ? { access } : {}),
      localSignIn: s.LOCAL_SIGN_IN === 'true',
      siteTimeZone: s.SITE_TIMEZONE,
    },
  };
}

/** The settings, or a thrown error naming what is wrong (the Durable Object's use). */
export function publisherConfig(bindings: object): PublisherConfig {
  const result = readPublisherConfig(bindings);
  if (result.ok) return result.config;
  throw new Error(`the publisher's settings are invalid: ${describeProblems(result.problems)}`);
}
