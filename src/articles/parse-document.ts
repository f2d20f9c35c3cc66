/**
 * Splits a content document into its YAML front matter and Markdown body.
 * Shared by the Node content build and (later) the worker's publishing API.
 */
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';

export interface ParsedDocument {
  frontMatter: unknown;
  body: string;
}

export class DocumentError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'DocumentError';
  }
}

// Front matter is the block between a first line `---` and the next line `---` (or `...`).
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * @example parseDocument('---\ntitle: Hi\n---\nBody') // { frontMatter: { title: 'Hi' }, body: 'Body' }
 * @throws DocumentError naming `front matter` when the block is missing, is not valid YAML
 *   or is not a mapping.
 */
export function parseDocument(source: string): ParsedDocument {
  const match = FRONT_MATTER.exec(source);
  if (!match) {
    throw new DocumentError(
      'front matter',
      'missing: the file must start with a line "---", then YAML, then a line "---"',
    );
  }
  let frontMatter: unknown;
  try {
    // The YAML 1.2 core schema: dates stay strings (no Date objects), no custom tags run.
    frontMatter = load(match[1] ?? '', { schema: CORE_SCHEMA });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    // The YAML starts on the file's second line (after `---`); js-yaml counts from 0.
    const where = error.mark
      ? ` at line ${error.mark.line + 2}, column ${error.mark.column + 1}`
      : '';
    throw new DocumentError('front matter', `invalid YAML${where}: ${error.reason}`);
  }
  // Arrays pass schema libraries' object checks: reject them (and scalars) here, once.
  if (typeof frontMatter !== 'object' || frontMatter === null || Array.isArray(frontMatter)) {
    throw new DocumentError('front matter', 'must be a YAML mapping of fields (`title: …` lines)');
  }
  return { frontMatter, body: source.slice(match[0].length) };
}
