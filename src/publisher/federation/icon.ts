/**
 * GET /actor/icon.png: the actor's avatar, the site's mark as a PNG (Mastodon stores no SVG),
 * rendered at build from SITE_NAME in wrangler.publisher.toml (scripts/lib/actor-icon.ts).
 * `ACTIVITYPUB_ICON` names another picture instead.
 */

import { ACTOR_ICON_PNG } from '../actor-icon';
import type { PublisherContext } from '../context';

let png: Uint8Array<ArrayBuffer> | undefined;

export function actorIcon(c: PublisherContext) {
  png ??= Uint8Array.from(atob(ACTOR_ICON_PNG), (ch) => ch.charCodeAt(0));
  return c.body(png, 200, {
    'Content-Type': 'image/png',
    'Cache-Control': 'public, max-age=86400',
  });
}
