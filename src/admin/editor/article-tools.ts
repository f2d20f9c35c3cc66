/**
 * Beside an existing article in the editor: its revisions (who wrote each, when; restore one,
 * which publishes it again through the API's rollback, with If-Match) and, for editors, private
 * preview links (share one, revoke them all). The publisher decides each; refusals are shown.
 */
import * as v from 'valibot';
import { ApiError, api } from '../api';
import { announce, h, show } from '../dom';
import { inSiteZone } from '../time';
import { Revisions } from './document';

const Preview = v.object({ url: v.string(), expiresAt: v.string() });
const Revoked = v.object({ revoked: v.number() });
const Written = v.object({ status: v.string() });

/** The article's revisions and preview links, for `slug` at revision tag `etag()`. */
export function articleTools(
  slug: string,
  canPreview: boolean,
  etag: () => string | null,
  restored: () => void,
): HTMLElement {
  const said = h('p', { role: 'status', 'aria-live': 'polite', class: 'tools-status' });
  const say = (text: string) => {
    said.textContent = text;
    announce(text);
  };
  const list = h('ol', { class: 'revisions', reversed: true });
  const load = async () => {
    try {
      const { body } = await api(
        Revisions,
        'GET',
        `/api/articles/${encodeURIComponent(slug)}/revisions`,
      );
      show(
        list,
        ...body.revisions.map((r, i) =>
          h(
            'li',
            {},
            `Revision ${r.revision}, ${inSiteZone(r.createdAt)}, by ${r.author?.name ?? r.via ?? 'unknown'} `,
            i === 0
              ? h('span', { class: 'hint' }, '(current)')
              : h(
                  'button',
                  { type: 'button', onclick: () => restore(r.revision) },
                  `Restore revision ${r.revision}`,
                ),
          ),
        ),
      );
    } catch (error) {
      say(error instanceof Error ? error.message : String(error));
    }
  };
  const restore = async (revision: number) => {
    try {
      const tag = etag();
      await api(
        Written,
        'POST',
        `/api/articles/${encodeURIComponent(slug)}/rollback?to=${revision}`,
        undefined,
        tag ? { 'If-Match': tag } : {},
      );
      say(`Revision ${revision} restored and published.`);
      restored();
      window.dispatchEvent(new Event(SAVED));
    } catch (error) {
      if (error instanceof ApiError) say(error.message);
    }
  };
  const link = h('p', { class: 'preview-link' });
  const share = async () => {
    try {
      const { body } = await api(
        Preview,
        'POST',
        `/api/articles/${encodeURIComponent(slug)}/preview`,
      );
      show(
        link,
        h('label', { for: 'preview-url' }, `Preview link (until ${inSiteZone(body.expiresAt)})`),
        h('input', { id: 'preview-url', type: 'text', readonly: true, value: body.url }),
      );
      say('Preview link made: copy it from the field.');
    } catch (error) {
      if (error instanceof ApiError) say(error.message);
    }
  };
  const revoke = async () => {
    try {
      const { body } = await api(
        Revoked,
        'DELETE',
        `/api/articles/${encodeURIComponent(slug)}/preview`,
      );
      show(link);
      say(`${body.revoked} preview link${body.revoked === 1 ? '' : 's'} revoked.`);
    } catch (error) {
      if (error instanceof ApiError) say(error.message);
    }
  };
  void load();
  const panel = h(
    'section',
    { class: 'tools', 'aria-labelledby': 'tools-heading' },
    h('h2', { id: 'tools-heading' }, 'Revisions and previews'),
    list,
    canPreview
      ? h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', onclick: share }, 'Share a preview link'),
          h('button', { type: 'button', onclick: revoke }, 'Revoke preview links'),
        )
      : null,
    link,
    said,
  );
  // Each save adds a revision: list them again (until this view is gone).
  const saved = () => (panel.isConnected ? void load() : window.removeEventListener(SAVED, saved));
  window.addEventListener(SAVED, saved);
  return panel;
}

/** Dispatched on `window` by the editor after each save the publisher took. */
export const SAVED = 'kvpress:saved';
