/**
 * /favicon.svg (and /favicon.ico, which browsers ask for by name when a page names no icon):
 * the site's nameplate mark, its initial in the serif of the masthead on the ink of the page.
 * An SVG, so one small file serves every size; cached for a day, like any unchanging asset.
 * /favicon.ico answers the same SVG with its true type (browsers go by the type, not the name):
 * a request that would be a 404 logged in every console. iOS wants a PNG touch icon, which
 * would need a rasterizer; it uses a screenshot of the page instead.
 */
import { Hono } from 'hono/tiny';
import { escapeXml } from '../../views/escape';
import type { AppEnv } from '../env';

export const icons = new Hono<AppEnv>();

/** The mark for `siteName`: its first letter or digit, white on near-black, rounded square. */
export function faviconSvg(siteName: string): string {
  const initial = /[\p{L}\p{N}]/u.exec(siteName)?.[0]?.toUpperCase() ?? '·';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#1b1b1b"/><text x="32" y="47" text-anchor="middle" font-family="Charter,Georgia,'Times New Roman',serif" font-weight="700" font-size="46" fill="#fdfdfc">${escapeXml(initial)}</text></svg>`;
}

const ONE_DAY = 86_400;

for (const path of ['/favicon.svg', '/favicon.ico']) {
  icons.get(path, (c) =>
    c.body(faviconSvg(c.var.config.siteName), 200, {
      'Content-Type': 'image/svg+xml',
      'Cache-Control': `public, max-age=${ONE_DAY}`,
    }),
  );
}
