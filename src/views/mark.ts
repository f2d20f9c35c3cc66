import { escapeXml } from './escape';

/**
 * The site's mark for `siteName`: its first letter or digit, white in the masthead's bold serif
 * on near-black, a rounded square. /favicon.svg serves it; the build renders it to the PNG the
 * ActivityPub actor shows (Mastodon stores no SVG).
 */
export function faviconSvg(siteName: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#1b1b1b"/><text x="32" y="47" text-anchor="middle" font-family="Charter,Georgia,'Times New Roman',serif" font-weight="700" font-size="46" fill="#fdfdfc">${escapeXml(markInitial(siteName))}</text></svg>`;
}

/** The mark's letter: the name's first letter or digit, upper case (`·` when it has none). */
export function markInitial(siteName: string): string {
  return /[\p{L}\p{N}]/u.exec(siteName)?.[0]?.toUpperCase() ?? '·';
}
