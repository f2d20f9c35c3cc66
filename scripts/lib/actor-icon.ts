/**
 * The actor's icon as a PNG: Mastodon stores no SVG avatar, so the site's mark
 * (src/views/mark.ts) is rendered at build by resvg, in DejaVu Serif Bold from the
 * dejavu-fonts-ttf package (no system font is assumed), for the SITE_NAME in
 * wrangler.publisher.toml. Written to src/publisher/actor-icon.ts (git-ignored, generated) as
 * base64, with the letter it shows; rewritten only when it changes.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { faviconSvg, markInitial } from '../../src/views/mark';

export const ICON_FILE = path.join('src', 'publisher', 'actor-icon.ts');
/** Mastodon shows avatars up to 400 px square, and resizes larger ones down to it. */
export const ICON_SIZE = 400;

/**
 * SITE_NAME from the publisher's wrangler config (the first `SITE_NAME = "…"` line of its
 * [vars]), else the reader's (a copy of the project may carry only that one), else kvpress.
 */
export async function configuredSiteName(
  configs = ['wrangler.publisher.toml', 'wrangler.toml'],
): Promise<string> {
  for (const config of configs) {
    const text = await readFile(config, 'utf8').catch(() => undefined);
    const name = text && /^SITE_NAME\s*=\s*"([^"]*)"/m.exec(text)?.[1]?.trim();
    if (name) return name;
  }
  return 'kvpress';
}

/** The mark for `siteName` as a PNG, ICON_SIZE square. */
export function renderActorIcon(siteName: string): Buffer {
  const fontFile = createRequire(import.meta.url).resolve(
    'dejavu-fonts-ttf/ttf/DejaVuSerif-Bold.ttf',
  );
  const resvg = new Resvg(faviconSvg(siteName), {
    fitTo: { mode: 'width', value: ICON_SIZE },
    font: {
      fontFiles: [fontFile],
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Serif',
      serifFamily: 'DejaVu Serif',
    },
  });
  return resvg.render().asPng();
}

/** What the PNG is made from: the SVG and the size (rendering takes ~50 ms: done on change). */
const sourceKey = (siteName: string) =>
  createHash('sha256')
    .update(`${ICON_SIZE}\0${faviconSvg(siteName)}`)
    .digest('hex')
    .slice(0, 16);

export function iconFileText(siteName: string, png: Buffer): string {
  return [
    '// Generated at build time by scripts/lib/actor-icon.ts from src/views/mark.ts and',
    '// wrangler.publisher.toml. Not committed; rewritten by every build. Do not edit.',
    `// source ${sourceKey(siteName)}`,
    `/** The letter the icon shows (the initial of SITE_NAME at build). */`,
    `export const ACTOR_ICON_INITIAL = ${JSON.stringify(markInitial(siteName))};`,
    `/** The site's mark, ${ICON_SIZE} px square, as a base64 PNG. */`,
    `export const ACTOR_ICON_PNG = '${png.toString('base64')}';`,
    '',
  ].join('\n');
}

/** Writes the icon file if its text would change. */
export async function writeActorIcon(): Promise<{ changed: boolean; bytes: number }> {
  const siteName = await configuredSiteName();
  const current = await readFile(ICON_FILE, 'utf8').catch(() => undefined);
  if (current?.includes(`// source ${sourceKey(siteName)}\n`)) {
    return { changed: false, bytes: 0 };
  }
  const png = renderActorIcon(siteName);
  await writeFile(ICON_FILE, iconFileText(siteName, png));
  return { changed: true, bytes: png.length };
}
