/**
 * Build-time constants, written to src/render-version.ts (git-ignored: generated, never committed)
 * on every build the user runs: wrangler's `[build]` command (npm start, each `wrangler dev`
 * reload, deploy and its dry run), vitest's config (npm test), and npm install / typecheck.
 * - RENDER_VERSION, a hash of everything that shapes a response's bytes: every source file under
 *   src/ and the locked dependency versions. ETags and cache keys include it, so a deploy that
 *   changes how anything is rendered changes every ETag and cache key;
 * - STYLES_CSP_HASH, the CSP source that allows exactly the inline stylesheet;
 * - and, first, the actor's PNG icon (scripts/lib/actor-icon.ts, src/publisher/actor-icon.ts).
 * The file is rewritten only when its text changes, so a watcher that sees it does not loop.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { STYLES } from '../../src/views/styles';
import { writeActorIcon } from '../lib/actor-icon';

export const SOURCE_DIR = 'src';
export const VERSION_FILE = path.join(SOURCE_DIR, 'render-version.ts');
const LOCKFILE = 'package-lock.json';

/** 8 hex digits of SHA-256 over the sources (this file's output excluded) and the lockfile. */
export async function computeRenderVersion(): Promise<string> {
  const files = (await readdir(SOURCE_DIR, { recursive: true }))
    .map((file) => path.join(SOURCE_DIR, file))
    .filter((file) => /\.tsx?$/.test(file) && file !== VERSION_FILE)
    .sort();
  const hash = createHash('sha256');
  for (const file of [...files, LOCKFILE]) {
    hash.update(`${file.split(path.sep).join('/')}\0`);
    hash.update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 8);
}

/** `'sha256-…'`: the Content-Security-Policy source for the `<style>` element's exact text. */
export function stylesCspHash(styles = STYLES): string {
  return `'sha256-${createHash('sha256').update(styles).digest('base64')}'`;
}

export function versionFileText(version: string, styleHash = stylesCspHash()): string {
  return [
    '// Generated at build time by scripts/cli/render-version.ts from src/ and package-lock.json.',
    '// Not committed; rewritten by every build. Do not edit.',
    `export const RENDER_VERSION = '${version}';`,
    `export const STYLES_CSP_HASH = "${styleHash}";`,
    '',
  ].join('\n');
}

/** Writes the file if its text would change; returns the render version. */
export async function writeRenderVersion(): Promise<{ version: string; changed: boolean }> {
  await writeActorIcon();
  const version = await computeRenderVersion();
  const text = versionFileText(version);
  const current = await readFile(VERSION_FILE, 'utf8').catch(() => undefined);
  if (current === text) return { version, changed: false };
  await writeFile(VERSION_FILE, text);
  return { version, changed: true };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { version, changed } = await writeRenderVersion();
  if (changed || !process.argv.includes('--quiet'))
    console.log(`render version ${version} → ${VERSION_FILE}`);
}
