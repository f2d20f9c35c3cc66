/**
 * The editor's round trip: every fixture's body, parsed into the editor's document and written
 * back as Markdown, renders (with the publisher's own marked renderer) to exactly the HTML it
 * rendered before; the front matter is kept byte for byte, comments included.
 */
import { describe, expect, it } from 'vitest';
import { joinDocument, parseBody, serializeBody, splitDocument } from '../../src/editing/markdown';
import { articleSchema } from '../../src/editing/schema';
import { renderMarkdown } from '../../src/publisher/render-markdown';
import picture from '../fixtures/content/how-a-kvpress-article-shows-a-picture.md?raw';
import shipped from '../fixtures/content/trump-seeks-to-renew-relations-with-putins-russia.md?raw';
import everything from '../fixtures/editing/every-construct.md?raw';

const FIXTURES = {
  'every construct': everything,
  'the first article': shipped,
  'the picture demo': picture,
};

describe('the editor round trip', () => {
  for (const [name, source] of Object.entries(FIXTURES)) {
    it(`renders ${name} identically after a round trip, front matter untouched`, () => {
      const { frontMatter, body } = splitDocument(source);
      expect(frontMatter.startsWith('---\n')).toBe(true);
      const doc = parseBody(body);
      doc.check(); // a valid document of the schema
      const written = serializeBody(doc);
      expect(renderMarkdown(written)).toBe(renderMarkdown(body));
      // Twice round is the same as once (the editor's saves are stable).
      expect(serializeBody(parseBody(written))).toBe(written);
      const joined = joinDocument(frontMatter, written);
      expect(splitDocument(joined).frontMatter).toBe(frontMatter);
    });
  }

  it('has every construct of the corpus in the document', () => {
    const seen = new Set<string>();
    parseBody(splitDocument(everything).body).descendants((node) => {
      seen.add(node.type.name);
      for (const mark of node.marks) seen.add(mark.type.name);
    });
    const all = [...Object.keys(articleSchema.nodes), ...Object.keys(articleSchema.marks)].filter(
      (name) => name !== 'doc',
    );
    expect([...all].filter((name) => !seen.has(name))).toEqual([]);
  });
});
