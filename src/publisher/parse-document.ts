/**
 * Splits a content document into its YAML front matter and Markdown body, read by js-yaml
 * (YAML 1.2 core schema: dates stay strings). Shared by the content build and the publisher.
 */
import { CORE_SCHEMA, dump, load, YAMLException } from 'js-yaml';

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

/** The front matter's YAML text and the body, or undefined when there is no front matter block. */
export function splitDocument(source: string): { yaml: string; body: string } | undefined {
  const match = FRONT_MATTER.exec(source);
  return match ? { yaml: match[1] ?? '', body: source.slice(match[0].length) } : undefined;
}

/**
 * @example parseDocument('---\ntitle: Hi\n---\nBody') // { frontMatter: { title: 'Hi' }, body: 'Body' }
 * @throws DocumentError naming `front matter` when the block is missing, is not valid YAML
 *   or is not a mapping.
 */
export function parseDocument(source: string): ParsedDocument {
  const parts = splitDocument(source);
  if (!parts) {
    throw new DocumentError(
      'front matter',
      'missing: the file must start with a line "---", then YAML, then a line "---"',
    );
  }
  let frontMatter: unknown;
  try {
    // No aliases: front matter needs none, and they are how a small document expands enormously.
    frontMatter = load(parts.yaml, { schema: CORE_SCHEMA, maxAliases: 0, maxDepth: 20 });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    // js-yaml counts from 0; the YAML starts on the file's second line (after `---`).
    const where = error.mark
      ? ` at line ${error.mark.line + 2}, column ${error.mark.column + 1}`
      : '';
    throw new DocumentError('front matter', `invalid YAML${where}: ${error.reason}`);
  }
  // Arrays pass schema libraries' object checks: reject them (and scalars) here, once.
  if (typeof frontMatter !== 'object' || frontMatter === null || Array.isArray(frontMatter)) {
    throw new DocumentError('front matter', 'must be a YAML mapping of fields (`title: …` lines)');
  }
  return { frontMatter, body: parts.body };
}

/**
 * The reverse: a document from front matter fields and a Markdown body, which parseDocument reads
 * back to the same fields (the API's `GET` with `Accept: text/markdown`, for a `PUT` to send back).
 * @example serializeDocument({ title: 'Hi' }, 'Body') // '---\ntitle: Hi\n---\nBody\n'
 */
export function serializeDocument(frontMatter: Record<string, unknown>, body: string): string {
  const yaml = dump(frontMatter, { schema: CORE_SCHEMA, lineWidth: -1, noRefs: true });
  return `---\n${yaml}---\n${body}\n`;
}
