/**
 * Reads the part of YAML 1.2 that front matter uses, giving exactly what js-yaml's core schema
 * gives for it (a property test and every content build compare the two), in about a tenth of
 * the bytes: js-yaml alone was 13 KiB of the worker's 50 KiB gzip budget, and the publishing API
 * has to read front matter inside the worker.
 *
 * Read: block mappings and sequences nested by indentation (`- key: value` items too), plain
 * scalars (also over several lines), single- and double-quoted scalars on one line, one-line
 * flow sequences of scalars (`[a, "b"]`), `{}`, literal and folded block scalars (`|`, `>-`) and
 * comments. Plain scalars resolve as in the core schema: null, booleans, numbers, else strings.
 * Anything else (anchors, aliases, tags, flow mappings, quotes over several lines, directives)
 * is an error naming the line: a document is read as YAML reads it, or not at all.
 */

export class YamlError extends Error {
  constructor(
    /** 1-based line and column in the YAML text. */
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
    this.name = 'YamlError';
  }
}

// js-yaml refuses the same characters anywhere in the stream.
const NON_PRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
const UNCLOSED_LIST = 'a [list] must end on its line (or write `- item` lines)';
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;
// js-yaml takes `---` as a document start even with text right after it: refuse any such line.
const DOCUMENT_MARKER = /^(?:---|\.\.\.|%)/;
const UNSUPPORTED_START: Record<string, string> = {
  '{': 'flow mappings {…} are not supported: write `key: value` lines',
  '&': 'anchors (&) are not supported',
  '*': 'aliases (*) are not supported',
  '!': 'tags (!) are not supported',
};
// Characters that cannot start a plain scalar (or, with a space after, mean something else).
const PLAIN_START_FORBIDDEN = /^(?:[#,[\]{}&*!|>'"%@`]|[-?:](?:[ \t]|$))/;
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

const isSpace = (ch: string | undefined) => ch === ' ' || ch === '\t';
const isSpaceOrEnd = (ch: string | undefined) => ch === undefined || isSpace(ch);
const isSequenceEntry = (text: string, at: number) =>
  text[at] === '-' && isSpaceOrEnd(text[at + 1]);
/** Without trailing spaces and tabs (a loop: a regex anchored at the end is quadratic on long runs). */
function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && isSpace(text[end - 1])) end--;
  return text.slice(0, end);
}

/**
 * @example parseYaml('title: Hi\nsources:\n  - BBC') // { title: 'Hi', sources: ['BBC'] }
 * @returns undefined for a text of only blank lines and comments (js-yaml gives undefined or null)
 * @throws YamlError
 */
export function parseYaml(source: string): unknown {
  return new Reader(source).document();
}

class Reader {
  private readonly lines: string[];
  private index = 0;

  constructor(source: string) {
    // As js-yaml, a byte order mark at the very start is not content.
    if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
    const bad = NON_PRINTABLE.exec(source);
    if (bad) {
      const before = source.slice(0, bad.index + (bad[0].length > 1 ? 1 : 0)).split(/\r\n|\r|\n/);
      this.lines = [];
      throw new YamlError(
        before.length,
        (before.at(-1)?.length ?? 0) + 1,
        'contains a control character or a lone surrogate',
      );
    }
    this.lines = source.split(/\r\n|\r|\n/);
    // A final line break ends the last line; it does not start an empty one.
    if (this.lines.length > 1 && this.lines.at(-1) === '') this.lines.pop();
  }

  document(): unknown {
    const first = this.nextContent();
    if (first === undefined) return undefined;
    const indent = this.indent(first);
    if (/^[|>]/.test((this.lines[first] as string).slice(indent))) {
      this.fail(first, indent, 'front matter must be `key: value` lines');
    }
    // As in js-yaml, the document's top node sits one column left of its first line.
    const value = this.block(indent - 1, false);
    const extra = this.nextContent();
    if (extra !== undefined) this.fail(extra, this.indent(extra), 'bad indentation');
    return value;
  }

  private fail(line: number, column: number, reason: string): never {
    throw new YamlError(line + 1, column + 1, reason);
  }

  /** Index of the next line with content (skipping blank and comment lines), or undefined. */
  private nextContent(): number | undefined {
    while (this.index < this.lines.length) {
      const line = this.lines[this.index] as string;
      if (DOCUMENT_MARKER.test(line)) {
        this.fail(this.index, 0, 'directives and document markers are not supported');
      }
      if (!BLANK_OR_COMMENT.test(line)) return this.index;
      this.index++;
    }
    return undefined;
  }

  /** The indentation of a content line, which must be made of spaces. */
  private indent(line: number): number {
    const text = this.lines[line] as string;
    const indent = /^ */.exec(text)?.[0].length ?? 0;
    if (text[indent] === '\t') this.fail(line, indent, 'indent with spaces, not tabs');
    return indent;
  }

  /** A node starting on the next content line, nested deeper than `parentIndent`. */
  private block(parentIndent: number, inMapping: boolean): unknown {
    const line = this.nextContent();
    if (line === undefined) return null;
    const indent = this.indent(line);
    const text = this.lines[line] as string;
    // `key:` may be followed by its list at the key's own indentation.
    if (
      isSequenceEntry(text, indent) &&
      (indent > parentIndent || (inMapping && indent === parentIndent))
    ) {
      return this.sequence(indent);
    }
    if (indent <= parentIndent) return null;
    if (this.entryKey(line, indent)) return this.mapping(indent);
    return this.value(line, indent, parentIndent);
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (let line = this.nextContent(); line !== undefined; line = this.nextContent()) {
      const text = this.lines[line] as string;
      if (this.indent(line) !== indent || !isSequenceEntry(text, indent)) break;
      // Blank out the dash: the item's content then stands at its own column, which is how
      // YAML reads `- key: value` items and `- - nested` lists.
      this.lines[line] = `${text.slice(0, indent)} ${text.slice(indent + 1)}`;
      const content = /^ *\S/.exec((this.lines[line] as string).slice(indent))?.[0].length;
      if (
        content !== undefined &&
        isSequenceEntry(this.lines[line] as string, indent + content - 1)
      ) {
        this.fail(
          line,
          indent + content - 1,
          'a list inside a list item must start on its own line',
        );
      }
      const empty = BLANK_OR_COMMENT.test(this.lines[line] as string);
      const item = this.block(indent, false);
      // js-yaml reads an empty item followed by a less indented `- ` as one list: refuse it.
      const next = this.nextContent();
      if (empty && item === null && next !== undefined) {
        const nextIndent = this.indent(next);
        if (nextIndent < indent && isSequenceEntry(this.lines[next] as string, nextIndent)) {
          this.fail(
            line,
            indent,
            'an empty list item here is read differently by YAML parsers: write `- ~`',
          );
        }
      }
      items.push(item);
    }
    return items;
  }

  private mapping(indent: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (let line = this.nextContent(); line !== undefined; line = this.nextContent()) {
      const lineIndent = this.indent(line);
      if (lineIndent < indent) break;
      if (lineIndent > indent) this.fail(line, lineIndent, 'bad indentation');
      const entry = this.entryKey(line, indent);
      if (!entry) this.fail(line, indent, 'expected `key: value`');
      if (seen.has(entry.key)) this.fail(line, indent, `duplicated key "${entry.key}"`);
      seen.add(entry.key);
      // defineProperty: a `__proto__` key is data, as in js-yaml, never the object's prototype.
      Object.defineProperty(result, entry.key, {
        value: this.value(line, entry.valueColumn, indent),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }

  /** The key of a `key: value` line and where its value starts, or undefined if it is not one. */
  private entryKey(line: number, column: number): { key: string; valueColumn: number } | undefined {
    const text = this.lines[line] as string;
    const quote = text[column];
    if (quote === '"' || quote === "'") {
      const { value, end } = this.quoted(line, column);
      let colon = end;
      while (isSpace(text[colon])) colon++;
      if (text[colon] !== ':' || !isSpaceOrEnd(text[colon + 1])) return undefined;
      return { key: value, valueColumn: colon + 1 };
    }
    let colon = text.indexOf(':', column);
    while (colon >= 0 && !isSpaceOrEnd(text[colon + 1])) colon = text.indexOf(':', colon + 1);
    if (colon < 0) return undefined;
    const key = trimSpaces(text.slice(column, colon));
    if (/[ \t]#/.test(key)) return undefined; // the colon is inside a comment
    if (key === '' || PLAIN_START_FORBIDDEN.test(key)) {
      this.fail(line, column, 'keys must be plain words or quoted text');
    }
    // As in js-yaml, a key is read as a scalar (`~` is null) and then used as text.
    return { key: String(resolvePlain(key)), valueColumn: colon + 1 };
  }

  /** A value starting at `column` of `line` (after `key:`, or on a line of its own). */
  private value(line: number, column: number, parentIndent: number): unknown {
    const text = this.lines[line] as string;
    let start = column;
    while (isSpace(text[start])) start++;
    const ch = text[start];
    if (ch === undefined || (ch === '#' && start > column)) {
      this.index = line + 1;
      return this.block(parentIndent, true);
    }
    if (ch === '"' || ch === "'") {
      const { value, end } = this.quoted(line, start);
      this.expectLineEnd(line, end);
      this.index = line + 1;
      return value;
    }
    if (ch === '[') return this.flowSequence(line, start);
    const emptyMapping = /^\{[ \t]*\}/.exec(text.slice(start));
    if (emptyMapping) {
      this.expectLineEnd(line, start + emptyMapping[0].length);
      this.index = line + 1;
      return {};
    }
    if (ch === '|' || ch === '>') return this.blockScalar(line, start, parentIndent);
    const unsupported = UNSUPPORTED_START[ch];
    if (unsupported) this.fail(line, start, unsupported);
    if (PLAIN_START_FORBIDDEN.test(text.slice(start, start + 2))) {
      this.fail(line, start, `"${ch}" cannot start plain text here: quote the value`);
    }
    return this.plain(line, start, parentIndent);
  }

  /** Only spaces, or spaces and a comment, may follow a finished value on its line. */
  private expectLineEnd(line: number, column: number): void {
    const rest = (this.lines[line] as string).slice(column);
    if (!/^(?:[ \t]+#.*)?[ \t]*$/.test(rest)) {
      this.fail(line, column, 'unexpected text after the value');
    }
  }

  /** Plain text, folded over more-indented following lines as YAML folds it. */
  private plain(line: number, start: number, parentIndent: number): unknown {
    let { text, comment } = this.plainLine(line, start);
    let next = line + 1;
    let blankLines = 0;
    while (!comment && next < this.lines.length) {
      const raw = this.lines[next] as string;
      if (/^[ \t]*$/.test(raw)) {
        blankLines++;
        next++;
        continue;
      }
      const indent = /^[ \t]*/.exec(raw)?.[0].length ?? 0;
      if (raw[indent] === '#' || /^ *\t/.test(raw) || indent <= parentIndent) break;
      if (DOCUMENT_MARKER.test(raw)) {
        this.fail(next, 0, 'directives and document markers are not supported');
      }
      const more = this.plainLine(next, indent, true);
      text += blankLines === 0 ? ' ' : '\n'.repeat(blankLines);
      text += more.text;
      comment = more.comment;
      blankLines = 0;
      next++;
    }
    this.index = next;
    return resolvePlain(text);
  }

  /** One line's part of a plain scalar: up to a comment, without trailing spaces. */
  private plainLine(
    line: number,
    start: number,
    continuation = false,
  ): { text: string; comment: boolean } {
    const text = this.lines[line] as string;
    let end = start;
    for (; end < text.length; end++) {
      const ch = text[end];
      if (ch === ':' && isSpaceOrEnd(text[end + 1])) {
        // On a following line this is most often a key indented by mistake.
        if (continuation)
          this.fail(line, start, 'bad indentation: line the key up with the keys above');
        this.fail(line, end, 'a value containing ": " must be quoted');
      }
      if (ch === '#' && isSpace(text[end - 1])) break;
    }
    return { text: trimSpaces(text.slice(start, end)), comment: end < text.length };
  }

  /** A single- or double-quoted scalar that ends on its line. */
  private quoted(line: number, start: number): { value: string; end: number } {
    const text = this.lines[line] as string;
    const quote = text[start];
    let value = '';
    for (let at = start + 1; at < text.length; at++) {
      const ch = text[at] as string;
      if (ch === quote) {
        if (quote === "'" && text[at + 1] === "'") {
          value += "'";
          at++;
          continue;
        }
        return { value, end: at + 1 };
      }
      if (ch === '\\' && quote === '"') {
        const escaped = text[++at];
        if (escaped === undefined) break;
        const digits = HEX_DIGITS[escaped];
        if (digits) {
          const hex = text.slice(at + 1, at + 1 + digits);
          const code =
            /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits ? Number.parseInt(hex, 16) : -1;
          if (code < 0 || code > 0x10ffff)
            this.fail(line, at - 1, `invalid escape "\\${escaped}${hex}"`);
          value += String.fromCodePoint(code);
          at += digits;
        } else if (escaped in ESCAPES) {
          value += ESCAPES[escaped];
        } else {
          this.fail(line, at - 1, `unknown escape "\\${escaped}"`);
        }
        continue;
      }
      value += ch;
    }
    return this.fail(line, start, 'quoted text must end on its line');
  }

  /** `[a, "b", 3]` on one line: scalars only. */
  private flowSequence(line: number, start: number): unknown[] {
    const text = this.lines[line] as string;
    const items: unknown[] = [];
    let at = start + 1;
    for (;;) {
      while (isSpace(text[at])) at++;
      const ch = text[at];
      if (ch === ']') break;
      if (ch === undefined || ch === '#') {
        this.fail(line, start, UNCLOSED_LIST);
      }
      if (ch === '"' || ch === "'") {
        const { value, end } = this.quoted(line, at);
        items.push(value);
        at = end;
      } else {
        if (
          /[[\]{},&*!|>%@`#]/.test(ch) ||
          /^[-?:](?:[ \t,[\]{}]|$)/.test(text.slice(at, at + 2))
        ) {
          this.fail(line, at, 'list items in [ ] must be plain words or quoted text');
        }
        let end = at;
        while (end < text.length && !/[,[\]{}]/.test(text[end] as string)) {
          if (text[end] === ':' && /^:(?:[ \t,[\]{}]|$)/.test(text.slice(end, end + 2))) {
            this.fail(line, end, 'a list item containing ":" must be quoted');
          }
          if (text[end] === '#' && isSpace(text[end - 1])) {
            this.fail(line, end, UNCLOSED_LIST);
          }
          end++;
        }
        items.push(resolvePlain(trimSpaces(text.slice(at, end))));
        at = end;
      }
      while (isSpace(text[at])) at++;
      if (text[at] === ',') at++;
      else if (text[at] !== ']') this.fail(line, at, 'expected "," or "]" in the list');
    }
    this.expectLineEnd(line, at + 1);
    this.index = line + 1;
    return items;
  }

  /** A literal (`|`) or folded (`>`) block scalar, with js-yaml's rules for indentation and chomping. */
  private blockScalar(line: number, start: number, parentIndent: number): string {
    const header = /^([|>])([+-]?)(?=[ \t]|$)/.exec((this.lines[line] as string).slice(start));
    if (!header) {
      this.fail(line, start, 'a block scalar header is | or > and an optional - or +');
    }
    this.expectLineEnd(line, start + header[0].length);
    const folded = header[1] === '>';
    const chomping = header[2];
    let textIndent = parentIndent + 1;
    let detected = false;
    let emptyLines = 0;
    let didReadContent = false;
    let atMoreIndented = false;
    let result = '';
    let next = line + 1;
    for (; next < this.lines.length; next++) {
      const text = this.lines[next] as string;
      let indent = 0;
      while ((!detected || indent < textIndent) && text[indent] === ' ') indent++;
      if (!detected && indent > textIndent) textIndent = indent;
      if (indent === text.length) {
        emptyLines++;
        continue;
      }
      if (indent < textIndent) break;
      const breaks = (extra: number) =>
        '\n'.repeat(didReadContent ? extra + emptyLines : emptyLines);
      if (!folded) result += breaks(1);
      else if (isSpace(text[indent])) {
        atMoreIndented = true;
        result += breaks(1);
      } else if (atMoreIndented) {
        atMoreIndented = false;
        result += '\n'.repeat(emptyLines + 1);
      } else if (emptyLines === 0) {
        if (didReadContent) result += ' ';
      } else result += '\n'.repeat(emptyLines);
      result += text.slice(indent);
      didReadContent = true;
      detected = true;
      emptyLines = 0;
    }
    if (chomping === '+') result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
    else if (chomping === '' && didReadContent) result += '\n';
    this.index = next;
    return result;
  }
}

// The core schema's implicit types, as js-yaml resolves them (its int and float rules).
const INT =
  /^[-+]?(?:0|0b[01_]*[01]|0x[0-9a-fA-F_]*[0-9a-fA-F]|0o[0-7_]*[0-7]|0[0-9](?:[0-9_]*[0-9])?|[1-9](?:[0-9_]*[0-9])?)$/;
const FLOAT =
  /^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const RADIX: Record<string, number> = { b: 2, x: 16, o: 8 };

/** A plain scalar's value under the YAML 1.2 core schema (as js-yaml reads it). */
export function resolvePlain(text: string): unknown {
  if (/^(?:~|null|Null|NULL|)$/.test(text)) return null;
  if (/^(?:true|True|TRUE)$/.test(text)) return true;
  if (/^(?:false|False|FALSE)$/.test(text)) return false;
  if (INT.test(text)) {
    let digits = text.replace(/_/g, '');
    const sign = digits[0] === '-' ? -1 : 1;
    if (/^[-+]/.test(digits)) digits = digits.slice(1);
    if (digits === '0') return 0;
    const radix = digits[0] === '0' ? RADIX[digits[1] as string] : undefined;
    return radix
      ? sign * Number.parseInt(digits.slice(2), radix)
      : sign * Number.parseInt(digits, 10);
  }
  if (FLOAT.test(text) && !text.endsWith('_')) {
    let digits = text.replace(/_/g, '').toLowerCase();
    const sign = digits[0] === '-' ? -1 : 1;
    if (/^[-+]/.test(digits)) digits = digits.slice(1);
    if (digits === '.inf') return sign * Number.POSITIVE_INFINITY;
    if (digits === '.nan') return Number.NaN;
    return sign * Number.parseFloat(digits);
  }
  return text;
}
