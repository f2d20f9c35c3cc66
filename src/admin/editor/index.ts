/**
 * The editor: an article's fields and body, saved through the publishing API (the one writer)
 * with If-Match, so a save against a newer revision is refused and shown (who changed it, and
 * their text to compare), never written over. Every keystroke is kept on this device first
 * (local-copy.ts): a reload, a closed tab or a dropped network loses nothing. The buttons follow
 * the role: a contributor saves drafts and submits them for review; authors and above publish,
 * schedule and unpublish. The API's refusals and field messages are shown where they belong.
 */
import { ApiError, api, type FieldError } from '../api';
import { bodyEditor } from '../body-editor';
import { announce, h, show } from '../dom';
import { forget, keep, kept } from '../local-copy';
import { inSiteZone } from '../time';
import { articleTools, SAVED } from './article-tools';
import {
  articleSlug,
  Doc,
  FIELDS,
  type Field,
  fromLocal,
  type Me,
  pick,
  Written,
} from './document';
import { articleFields } from './fields';
import { earlierNotice, editorForm, showNewerRevision } from './notices';

/** Renders the editor for `slug` (null: a new article) into `root`. */
export async function showEditor(
  root: HTMLElement,
  slug: string | null,
  me: Me,
  suggestions: { sections: string[]; tags: string[]; authors: string[] },
  navigate: (path: string) => void,
): Promise<void> {
  let doc: Doc | null = null;
  if (slug) doc = (await api(Doc, 'GET', `/api/articles/${encodeURIComponent(slug)}`)).body;
  let etag = doc?.etag ?? null;
  // The article's slug once it exists (a new one gets it at its first save).
  let current = slug;
  // The local copy is this person's, for this article (a new one: until its first save).
  const keyOf = (article: string) => `${me.id}:${article}`;
  let key = keyOf(slug ?? 'new');
  const local = kept(key);
  // A copy made from an older revision (someone saved since, or a restore): set aside, offered.
  const earlier = local && local.basedOn !== etag ? local : null;
  if (earlier) keep(`${key}:earlier`, earlier);
  const base = {
    ...(doc ?? {}),
    ...(local && local.basedOn === etag ? local.values : {}),
  } as Partial<Record<Field | 'body' | 'slug', string | string[]>>;
  const restored =
    local && local.basedOn === etag && JSON.stringify(local.values) !== JSON.stringify(pick(doc));
  document.title = `${doc ? `Edit “${doc.title}”` : 'New article'} · Newsroom`;
  let datePublished = doc?.datePublished ?? null;
  let state = doc?.status ?? 'new';

  // The form's fields (fields.ts); the body is the rich-text editor's.
  function remember(): void {
    keep(key, { basedOn: etag, values: values() });
  }
  // A contributor cannot schedule: no Schedule field for them.
  const shown = FIELDS.filter(([name]) => name !== 'publishAt' || me.role !== 'contributor');
  const {
    inputs,
    errors,
    errorFor,
    elements: fields,
    values: fieldValues,
  } = articleFields(shown, base, suggestions, remember);
  const body = bodyEditor(typeof base.body === 'string' ? base.body : '', 'label-body', remember);
  const values = (): Record<string, unknown> => ({ ...fieldValues(), body: body.markdown() });

  const status = h('p', { id: 'save-status', role: 'status', 'aria-live': 'polite' });
  const conflict = h('div', { id: 'conflict', role: 'alert', tabindex: -1, hidden: true });
  const canPublish = me.role !== 'contributor';
  const canPreviewLinks = me.role === 'editor' || me.role === 'admin';
  // Authors publish their own articles only; editors and admins everyone's (the publisher decides;
  // the buttons offer only what it would take).
  const mayPublish = () =>
    canPublish && (me.role !== 'author' || !doc || !current || doc.owner === me.id);
  const live = () => state === 'published' || state === 'scheduled';

  const clearErrors = () => {
    for (const el of errors.values()) {
      el.hidden = true;
      el.textContent = '';
    }
  };
  const showErrors = (list: FieldError[]) => {
    for (const { field, message } of list) {
      const el = errors.get(field) ?? errors.get('body');
      if (!el) continue;
      el.hidden = false;
      el.textContent = `${field}: ${message}`;
    }
    const first = list[0] && inputs.get(list[0].field as Field);
    first?.focus();
  };

  // The form, made once the buttons exist (below); a save checks it is still on the page.
  let form: HTMLElement | null = null;

  /** Saves as `mode`; true when the publisher took it. */
  const save = async (mode: 'draft' | 'publish'): Promise<boolean> => {
    clearErrors();
    conflict.hidden = true;
    const fields = values();
    const sent = JSON.stringify(fields);
    const title = String(fields.title ?? '');
    const target = current ?? articleSlug(title);
    datePublished ??= new Date().toISOString();
    // Every field of the stored document the form has no control for is sent back as it was.
    const { status: _s, etag: _e, owner: _o, body: _b, ...stored } = doc ?? {};
    const document = { ...stored, ...fields, slug: target, datePublished, draft: mode === 'draft' };
    status.textContent = mode === 'draft' ? 'Saving…' : 'Publishing…';
    try {
      const written = await api(
        Written,
        'PUT',
        `/api/articles/${encodeURIComponent(target)}`,
        document,
        etag ? { 'If-Match': etag } : { 'If-None-Match': '*' },
      );
      etag = written.body.etag;
      forget(key);
      // Typed while the save was on its way: kept again.
      if (JSON.stringify(values()) !== sent) remember();
      const said =
        {
          // The API's write statuses (WriteStatus).
          draft: 'Draft saved.',
          'in review': 'Saved, in review.',
          scheduled: 'Scheduled.',
          added: 'Published.',
          changed: 'Published.',
          unchanged: 'Published (nothing had changed).',
        }[written.body.status] ?? `Saved (${written.body.status}).`;
      state =
        { added: 'published', changed: 'published', unchanged: 'published' }[written.body.status] ??
        written.body.status;
      status.textContent = said;
      announce(said);
      if (!current && form?.isConnected) {
        // Saved for the first time: this view is now the article's (same page, its own URL).
        current = written.body.slug;
        key = keyOf(current);
        history.replaceState(null, '', `/admin/articles/${current}`);
        root.append(articleTools(current, canPreviewLinks, () => etag, reloadAfterRestore));
      }
      renderButtons();
      window.dispatchEvent(new Event(SAVED));
      return true;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      status.textContent = error.message;
      if (error.status === 412 && !current) {
        // A new article whose address is taken: say so on the title (it makes the address).
        showErrors([
          {
            field: 'title',
            message: `an article at /articles/${target} exists already; change the title`,
          },
        ]);
      } else if (error.status === 412) await showConflict(target);
      else if (error.status === 422) showErrors(error.errors);
      announce(error.message);
      return false;
    }
  };

  const showConflict = (target: string) => showNewerRevision(conflict, target);

  const act = async (what: 'draft' | 'publish' | 'review' | 'unpublish') => {
    // One request at a time: a double click would be a conflict with one's own save.
    for (const button of buttons.querySelectorAll('button')) button.disabled = true;
    try {
      if (what === 'review') {
        if (!(await save('draft'))) return;
        try {
          await api(Written, 'POST', `/api/articles/${encodeURIComponent(current ?? '')}/review`);
          state = 'in review';
          status.textContent = 'Submitted for review.';
          announce('Submitted for review.');
        } catch (error) {
          if (error instanceof ApiError) status.textContent = error.message;
        }
      } else if (what === 'unpublish') {
        // Taken off the site, kept as a draft (on the desk, with its text).
        if (!window.confirm('Take this article off the site? It stays on the desk as a draft.'))
          return;
        if (await save('draft')) {
          status.textContent = 'Unpublished: it is a draft again.';
          announce(status.textContent);
        }
      } else await save(what);
    } finally {
      renderButtons();
    }
  };

  const buttons = h('div', { class: 'actions' });
  /** The actions the article's state and the person's role allow, rebuilt after each change. */
  const renderButtons = () => {
    const scheduling = !!inputs.get('publishAt')?.value;
    const published = state === 'published';
    show(
      buttons,
      // A draft over a live article would take it down: never offered as "Save draft".
      live() ? null : h('button', { type: 'button', onclick: () => act('draft') }, 'Save draft'),
      mayPublish()
        ? h(
            'button',
            { type: 'button', class: 'primary', onclick: () => act('publish') },
            published ? 'Update' : scheduling ? 'Schedule' : 'Publish',
          )
        : live()
          ? h(
              'p',
              { class: 'hint' },
              'An editor changes this article now; your text is kept on this device.',
            )
          : h(
              'button',
              { type: 'button', class: 'primary', onclick: () => act('review') },
              'Submit for review',
            ),
      mayPublish() && live()
        ? h('button', { type: 'button', onclick: () => act('unpublish') }, 'Unpublish')
        : null,
    );
  };
  renderButtons();
  form = editorForm(
    ...fields,
    h(
      'div',
      { class: 'field' },
      h('span', { id: 'label-body', class: 'label' }, 'Body'),
      body.element,
      errorFor('body'),
    ),
    buttons,
    status,
  );
  const siteTime = h('p', { id: 'schedule-site-time', class: 'hint', 'aria-live': 'polite' });
  const showSiteTime = () => {
    const at = fromLocal(inputs.get('publishAt')?.value ?? '');
    siteTime.textContent = at ? `That is ${inSiteZone(at)} on the site's clock.` : '';
  };
  inputs.get('publishAt')?.after(siteTime);
  showSiteTime();
  inputs.get('publishAt')?.addEventListener('input', () => {
    showSiteTime();
    renderButtons();
  });
  // Back online: what was typed offline is still here; say so, the writer saves when ready.
  window.addEventListener('online', () => {
    status.textContent = 'Back online. Your changes are kept; save when ready.';
  });

  show(
    root,
    h(
      'p',
      {},
      h(
        'a',
        {
          href: '/admin',
          onclick: (e: Event) => {
            e.preventDefault();
            navigate('/admin');
          },
        },
        '← Desk',
      ),
    ),
    h('h1', { tabindex: -1 }, doc ? `Edit: ${doc.title}` : 'New article'),
    doc ? h('p', { class: 'state' }, `State: ${doc.status}`) : null,
    restored
      ? h(
          'p',
          { class: 'notice', role: 'status' },
          'Your unsaved changes on this device were restored.',
        )
      : null,
    earlier ? earlierNotice(earlier, `${key}:earlier`) : null,
    conflict,
    form,
    current ? articleTools(current, canPreviewLinks, () => etag, reloadAfterRestore) : null,
  );
}

/**
 * After a restore the article is that revision: the page loads it again (what was typed since
 * stays on this device, offered as earlier text), so no save can quietly write over the restore.
 */
const reloadAfterRestore = () => location.reload();

export type { Me };
