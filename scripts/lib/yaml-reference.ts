/**
 * The build's second reading of front matter, by js-yaml (the well-kept YAML library). The
 * worker reads front matter with its own small reader (src/articles/yaml-subset.ts: js-yaml
 * would take a quarter of the worker's bundle budget), so every file that builds is read by
 * both, and a file they read differently is refused rather than published.
 */
import { isDeepStrictEqual } from 'node:util';
import { CORE_SCHEMA, load } from 'js-yaml';
import { splitDocument } from '../../src/publisher/parse-document';

/**
 * @returns undefined when js-yaml reads the front matter as `frontMatter`, else what differs.
 * @example readingDiffers('---\ntitle: Hi\n---\n', { title: 'Hi' }) // undefined
 */
export function readingDiffers(source: string, frontMatter: unknown): string | undefined {
  const yaml = splitDocument(source)?.yaml ?? '';
  let reference: unknown;
  try {
    reference = load(yaml, { schema: CORE_SCHEMA });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `js-yaml refuses it (${reason}) although kvpress's reader accepts it: please report this`;
  }
  if (isDeepStrictEqual(reference, frontMatter)) return undefined;
  const fields = new Set([...Object.keys(frontMatter ?? {}), ...Object.keys(reference ?? {})]);
  const differing = [...fields].filter(
    (field) =>
      !isDeepStrictEqual(
        (frontMatter as Record<string, unknown>)?.[field],
        (reference as Record<string, unknown>)?.[field],
      ),
  );
  return `js-yaml reads ${differing.join(', ') || 'it'} differently from kvpress's reader: quote the value, and please report this`;
}
