/**
 * What the editor tells a writer about their text beyond the form: a newer revision that refused
 * their save, and text kept on this device from an older revision. The form element itself too.
 */
import { api } from '../api';
import { h, show } from '../dom';
import { type Copy, forget } from '../local-copy';
import { inSiteZone } from '../time';
import { Doc, Revisions } from './document';

/** The form's own element, made before the view (saves check it is still on the page). */
export function editorForm(...children: (Node | null)[]): HTMLElement {
  return h(
    'form',
    {
      class: 'editor',
      onsubmit: (e: Event) => e.preventDefault(),
      'aria-labelledby': 'editor-heading',
    },
    h('h2', { id: 'editor-heading', class: 'visually-hidden' }, 'Article'),
    ...children,
  );
}

/** Text kept on this device from an older revision: offered, never thrown away unasked. */
export function earlierNotice(copy: Copy, storedAs: string): HTMLElement {
  const body = typeof copy.values.body === 'string' ? copy.values.body : '';
  return h(
    'div',
    { class: 'notice', role: 'status' },
    h(
      'p',
      {},
      'This device kept text you typed on an earlier version of this article. It is not in the form; copy what you need from it.',
    ),
    h('details', {}, h('summary', {}, 'Your earlier text'), h('pre', { class: 'theirs' }, body)),
    h(
      'button',
      {
        type: 'button',
        onclick: (e: Event) => {
          forget(storedAs);
          (e.currentTarget as HTMLElement).closest('.notice')?.remove();
        },
      },
      'Discard the earlier text',
    ),
  );
}

/**
 * A save refused because the article changed since it was opened: who changed it, when, and their
 * text to compare; the writer's own text stays in the form and on the device.
 */
export async function showNewerRevision(conflict: HTMLElement, target: string): Promise<void> {
  const [theirs, history] = await Promise.all([
    api(Doc, 'GET', `/api/articles/${encodeURIComponent(target)}`).catch(() => null),
    api(Revisions, 'GET', `/api/articles/${encodeURIComponent(target)}/revisions`).catch(
      () => null,
    ),
  ]);
  const newest = history?.body.revisions[0];
  const who = newest?.author?.name ?? newest?.via ?? 'someone';
  show(
    conflict,
    h(
      'p',
      {},
      `This article changed since you opened it: revision ${newest?.revision ?? '?'} by ${who}, ${newest ? inSiteZone(newest.createdAt) : ''}. Nothing was overwritten; your text is kept here and on this device.`,
    ),
    theirs
      ? h(
          'details',
          {},
          h('summary', {}, 'Compare with their version'),
          h('pre', { class: 'theirs' }, theirs.body.body),
        )
      : null,
    h(
      'button',
      { type: 'button', onclick: () => location.reload() },
      'Load their version (your text stays on this device)',
    ),
  );
  conflict.hidden = false;
  conflict.focus();
}
