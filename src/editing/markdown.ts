/**
 * Markdown ↔ the editor's document: prosemirror-markdown's parser (markdown-it, CommonMark with
 * strikethrough, raw HTML off: kvpress shows raw HTML as text) and serializer, extended for
 * `strike`. The store keeps Markdown; the editor edits documents; what marked renders from the
 * stored Markdown is the same before and after a round trip (tests/editing/markdown.test.ts).
 * The front matter is never parsed here: `splitDocument` keeps it byte for byte (comments
 * included), and only the body goes through the editor.
 */
import MarkdownIt from 'markdown-it';
import {
  defaultMarkdownParser,
  defaultMarkdownSerializer,
  MarkdownParser,
  MarkdownSerializer,
} from 'prosemirror-markdown';
import type { Node } from 'prosemirror-model';
import { articleSchema } from './schema';

const tokenizer = MarkdownIt('commonmark', { html: false }).enable('strikethrough');
// A line break inside a paragraph (a soft break) stays a newline in the text, not a space:
// prosemirror-markdown makes it a space, and marked's HTML would then differ from the stored
// Markdown's. The serializer writes it back as a newline (with the quote's or list's prefix).
// A character reference (`&copy;`, `&#169;`) stays as written: decoded, it would render as the
// character itself, which marked's HTML does not (the same page, but not the same bytes).
tokenizer.core.ruler.before('text_join', 'kvpress_references', (state) => {
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type === 'text_special' && token.info === 'entity') token.content = token.markup;
    }
  }
});
tokenizer.core.ruler.push('kvpress_soft_breaks', (state) => {
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type === 'softbreak') {
        token.type = 'text';
        token.content = '\n';
      }
    }
  }
});

const parser = new MarkdownParser(articleSchema, tokenizer, {
  ...defaultMarkdownParser.tokens,
  s: { mark: 'strike' },
});

const serializer = new MarkdownSerializer(defaultMarkdownSerializer.nodes, {
  ...defaultMarkdownSerializer.marks,
  strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
});

/** The editor's document for a Markdown body. */
export function parseBody(markdown: string): Node {
  return parser.parse(markdown);
}

/** The Markdown body of an editor's document (what the store keeps). */
export function serializeBody(doc: Node): string {
  return `${serializer.serialize(doc, { tightLists: true })}\n`;
}

/** A document's front matter block (`---` … `---`, byte for byte) and its body. */
export function splitDocument(source: string): { frontMatter: string; body: string } {
  const match = /^(---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$))/.exec(source);
  if (!match?.[1]) return { frontMatter: '', body: source };
  return { frontMatter: match[1], body: source.slice(match[1].length) };
}

/** The document with a new body, its front matter untouched. */
export function joinDocument(frontMatter: string, body: string): string {
  return frontMatter === '' ? body : `${frontMatter}\n${body.replace(/^\n+/, '')}`;
}
