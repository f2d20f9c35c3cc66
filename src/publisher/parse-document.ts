/**
 * Splits a content document into its YAML front matter and Markdown body.
 * Shared by the Node content build and the worker's publishing API.
 */
import { parseYaml, YamlError } from './yaml-subset';

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
 *   (of the kinds front matter is written with: see yaml-subset.ts) or is not a mapping.
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
    frontMatter = parseYaml(parts.yaml);
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    // The YAML starts on the file's second line (after `---`).
    throw new DocumentError(
      'front matter',
      `invalid YAML at line ${error.line + 1}, column ${error.column}: ${error.reason}`,
    );
  }
  // Arrays pass schema libraries' object checks: reject them (and scalars) here, once.
  if (typeof frontMatter !== 'object' || frontMatter === null || Array.isArray(frontMatter)) {
    throw new DocumentError('front matter', 'must be a YAML mapping of fields (`title: …` lines)');
  }
  return { frontMatter, body: parts.body };
}
