/**
 * What the worker bundle is made of, from esbuild's metafile (wrangler deploy --metafile):
 * bytes per dependency, and whether the reader's start-up reaches publishing code.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

interface Metafile {
  inputs: Record<string, { imports: { path: string; kind: string }[] }>;
  outputs: Record<
    string,
    { entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }
  >;
}

export async function readMetafile(bundleDir: string): Promise<Metafile> {
  return JSON.parse(await readFile(path.join(bundleDir, 'meta.json'), 'utf8')) as Metafile;
}

/** `hono`, `marked`, … or our own `src/<folder>` for a metafile input path. */
function ownerOf(input: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (dependency) return dependency[1] as string;
  const own = /(?:^|\/)(src\/[^/]+?)(?:\/|\.tsx?$)/.exec(input);
  return own ? (own[1] as string) : input;
}

/** Minified bytes in the bundle per dependency (and per folder of our own code), largest first. */
export function composition(meta: Metafile): { owner: string; bytes: number }[] {
  const bytes = new Map<string, number>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const owner = ownerOf(input);
      bytes.set(owner, (bytes.get(owner) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes]
    .map(([owner, size]) => ({ owner, bytes: size }))
    .sort((a, b) => b.bytes - a.bytes);
}
