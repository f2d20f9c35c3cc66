/**
 * The newsroom editor's document schema (ProseMirror), shared by the admin app and the publisher
 * (DESIGN.md: src/editing/ is pure, imports nothing from either). It is prosemirror-markdown's
 * CommonMark schema (paragraphs, headings, quotes, lists, code, rules, pictures, line breaks;
 * emphasis, strong, links, code) plus strikethrough, which marked renders with GFM: every
 * construct a kvpress body renders, so a body round-trips through the editor without loss
 * (tests/editing/markdown.test.ts). A pull quote is a quote whose last paragraph starts with a
 * dash (src/publisher/render-markdown.ts): no node of its own is needed.
 */
import { schema as commonMark } from 'prosemirror-markdown';
import { type MarkSpec, type MarkType, type NodeType, Schema } from 'prosemirror-model';

const strike: MarkSpec = {
  parseDOM: [{ tag: 's' }, { tag: 'del' }, { style: 'text-decoration=line-through' }],
  toDOM: () => ['del', 0],
};

/** The editor's schema: node and mark names are prosemirror-markdown's, plus `strike`. */
export const articleSchema = new Schema({
  nodes: commonMark.spec.nodes,
  marks: commonMark.spec.marks.addToEnd('strike', strike),
});

function nodeType(name: string): NodeType {
  const type = articleSchema.nodes[name];
  if (!type) throw new Error(`the article schema has no node "${name}"`);
  return type;
}

function markType(name: string): MarkType {
  const type = articleSchema.marks[name];
  if (!type) throw new Error(`the article schema has no mark "${name}"`);
  return type;
}

/** The node types the editor's commands name. */
export const nodes = {
  paragraph: nodeType('paragraph'),
  heading: nodeType('heading'),
  blockquote: nodeType('blockquote'),
  bullet_list: nodeType('bullet_list'),
  ordered_list: nodeType('ordered_list'),
  list_item: nodeType('list_item'),
  image: nodeType('image'),
};

/** The mark types the editor's commands name. */
export const marks = {
  strong: markType('strong'),
  em: markType('em'),
  link: markType('link'),
  code: markType('code'),
  strike: markType('strike'),
};
