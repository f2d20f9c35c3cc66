/**
 * The body's rich-text editor: ProseMirror over the shared schema (src/editing/), so a writer who
 * does not know Markdown gets headings, links, lists, quotes and emphasis from a toolbar and the
 * usual shortcuts, and the store still gets Markdown (src/editing/markdown.ts).
 */
import { baseKeymap, setBlockType, toggleMark, wrapIn } from 'prosemirror-commands';
import { history, redo, undo } from 'prosemirror-history';
import { keymap } from 'prosemirror-keymap';
import { liftListItem, sinkListItem, splitListItem, wrapInList } from 'prosemirror-schema-list';
import { type Command, EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { parseBody, serializeBody } from '../editing/markdown';
import { marks, nodes } from '../editing/schema';
import { h } from './dom';

export interface BodyEditor {
  /** The body as Markdown, as it will be stored. */
  markdown(): string;
  element: HTMLElement;
}

const addLink: Command = (state, dispatch) => {
  if (state.selection.empty) return false;
  if (!dispatch) return true;
  const href = window.prompt('Link address (https://…)')?.trim();
  if (!href) return false;
  // Only what the renderer keeps as a link (http(s), mailto, relative): no javascript: or data:.
  if (!/^(?:https?:|mailto:|\/|#|[^:]*$)/i.test(href)) {
    window.alert('A link must start with https://, http://, mailto: or /.');
    return false;
  }
  return toggleMark(marks.link, { href })(state, dispatch);
};

/** The toolbar's buttons: what each says to a screen reader, and what it does. */
const TOOLS: [string, Command][] = [
  ['Bold', toggleMark(marks.strong)],
  ['Italic', toggleMark(marks.em)],
  ['Link', addLink],
  ['Heading', setBlockType(nodes.heading, { level: 2 })],
  ['Subheading', setBlockType(nodes.heading, { level: 3 })],
  ['Paragraph', setBlockType(nodes.paragraph)],
  ['Quote', wrapIn(nodes.blockquote)],
  ['Bulleted list', wrapInList(nodes.bullet_list)],
  ['Numbered list', wrapInList(nodes.ordered_list)],
];

/** An editor for `markdown`, labelled by the element `labelledBy`; `changed` on every edit. */
export function bodyEditor(markdown: string, labelledBy: string, changed: () => void): BodyEditor {
  const mount = h('div', { class: 'body-mount' });
  const state = EditorState.create({
    doc: parseBody(markdown),
    plugins: [
      history(),
      keymap({
        'Mod-z': undo,
        'Shift-Mod-z': redo,
        'Mod-y': redo,
        'Mod-b': toggleMark(marks.strong),
        'Mod-i': toggleMark(marks.em),
        'Mod-k': addLink,
        Enter: splitListItem(nodes.list_item),
        'Mod-[': liftListItem(nodes.list_item),
        'Mod-]': sinkListItem(nodes.list_item),
      }),
      keymap(baseKeymap),
    ],
  });
  const view: EditorView = new EditorView(mount, {
    state,
    attributes: {
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-labelledby': labelledBy,
      'aria-describedby': 'error-body',
      class: 'body-editor',
      spellcheck: 'true',
    },
    dispatchTransaction(transaction) {
      view.updateState(view.state.apply(transaction));
      if (transaction.docChanged) changed();
    },
  });
  const toolbar = h(
    'div',
    { role: 'toolbar', 'aria-label': 'Formatting', class: 'toolbar' },
    ...TOOLS.map(([name, command]) =>
      h(
        'button',
        {
          type: 'button',
          onmousedown: (e: Event) => e.preventDefault(), // keep the selection in the text
          onclick: () => {
            command(view.state, view.dispatch, view);
            view.focus();
          },
        },
        name,
      ),
    ),
  );
  return {
    markdown: () => serializeBody(view.state.doc),
    element: h('div', { class: 'body-field' }, toolbar, mount),
  };
}
