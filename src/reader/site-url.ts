import type { Context } from 'hono';
import { fingerprint } from '../fingerprint';
import type { AppEnv } from './env';

/**
 * The site's absolute origin for links meant to leave the response (JSON `url`, canonical):
 * the configured `SITE_URL`, else the origin the request came to.
 */
export function siteOrigin(c: Context<AppEnv>): string {
  return c.var.config.siteUrl || new URL(c.req.url).origin;
}

/**
 * A fingerprint of the settings that appear inside bodies (site name and language, absolute
 * origin, the actor's handle, keys and icon): part of
 * every ETag and cache key, so a change of either never serves bytes made under the other.
 */
export function bodySettings(c: Context<AppEnv>): string {
  const { siteName, siteLang, activityPub } = c.var.config;
  const actor = `${activityPub.handle}|${activityPub.keys?.ed25519 ?? ''}|${activityPub.icon ?? ''}`;
  return fingerprint(`${siteName}|${siteLang}|${siteOrigin(c)}|${actor}`);
}
