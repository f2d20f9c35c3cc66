/**
 * Builds the newsroom's browser app (src/admin/) into build/admin/admin/app/: one minified ES
 * module and its stylesheet, bundled by esbuild. The publisher serves them as Workers static
 * assets (wrangler.publisher.toml [assets]) at /admin/app/…, through its ASSETS binding, so no
 * single-page-app fallback can ever answer another path. Run by the publisher's [build] command
 * (wrangler dev, deploy) and by the tests that need it.
 *
 * Usage: tsx scripts/cli/build-admin.ts [--quiet]
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const ADMIN_ASSETS = 'build/admin';
const OUT = path.join(ADMIN_ASSETS, 'admin', 'app');

/** Bundles the app; returns the output files and their sizes (bytes, before compression). */
export async function buildAdmin(): Promise<{ file: string; bytes: number }[]> {
  // Nothing stale is served: the folder holds this build only.
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const result = await build({
    entryPoints: { app: 'src/admin/main.ts', 'app-style': 'src/admin/app.css' },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    outdir: OUT,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.entries(result.metafile.outputs).map(([file, { bytes }]) => ({ file, bytes }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outputs = await buildAdmin();
  if (!process.argv.includes('--quiet')) {
    for (const { file, bytes } of outputs)
      console.log(`admin: ${file} ${(bytes / 1024).toFixed(1)} KiB`);
  }
}
