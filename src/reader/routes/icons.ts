/**
 * /favicon.svg (and /favicon.ico, which browsers ask for by name when a page names no icon):
 * the site's nameplate mark, its initial in the serif of the masthead on the ink of the page.
 * An SVG, so one small file serves every size; cached for a day, like any unchanging asset.
 * /favicon.ico answers the same SVG with its true type (browsers go by the type, not the name):
 * a request that would be a 404 logged in every console. A PNG of the mark, rendered at build
 * (scripts/lib/actor-icon.ts), is the actor's icon (the publisher serves /actor/icon.png).
 */
import { Hono } from 'hono/tiny';
import { faviconSvg } from '../../views/mark';
import type { AppEnv } from '../env';

export const icons = new Hono<AppEnv>();

const ONE_DAY = 86_400;

for (const path of ['/favicon.svg', '/favicon.ico']) {
  icons.get(path, (c) =>
    c.body(faviconSvg(c.var.config.siteName), 200, {
      'Content-Type': 'image/svg+xml',
      'Cache-Control': `public, max-age=${ONE_DAY}`,
    }),
  );
}
