/**
 * The editor: an article's fields and body, saved through the publishing API (the one writer)
 * with If-Match, so a save against a newer revision is refused and shown (who changed it, and
 * their text to compare), never written over. Every keystroke is kept on this device first
 * (local-copy.ts): a reload, a closed tab or a dropped network loses nothing. The buttons follow
 * the role: a contributor saves drafts and submits them for review; authors and above publish,
 * schedule and unpublish. The API's refusals and field messages are shown where they belong.
 */
import * as v from 'valibot';
import { ApiError, api, type FieldError } from './api';
import { articleTools, SAVED } from './article-tools';
import { bodyEditor } from './body-editor';
import { announce, h, show } from './dom';
import { type Copy, forget, keep, kept } from './local-copy';
import { inSiteZone, localZone, zoneName } from './time';

// Loose: fields the form has no control for (image, sources…) are kept and sent back on save.
const Doc = v.looseObject({
  title: v.string(),
  slug: v.string(),
  description: v.string(),
  datePublished: v.string(),
  dateModified: v.optional(v.string()),
  authors: v.optional(v.array(v.string())),
  section: v.optional(v.string()),
  tags: v.optional(v.array(v.string())),
  lang: v.optional(v.string()),
  correction: v.optional(v.string()),
  publishAt: v.optional(v.string()),
  draft: v.optional(v.boolean()),
  body: v.string(),
  status: v.string(),
  etag: v.string(),
  owner: v.optional(v.nullable(v.string())),
});
type Doc = v.InferOutput<typeof Doc>;
const Written = v.object({
  slug: v.string(),
  status: v.string(),
  etag: v.nullable(v.string()),
  url: v.nullable(v.string()),
});
const Revisions = v.object({
  revisions: v.array(
    v.object({
      revision: v.number(),
      createdAt: v.string(),
      author: v.nullable(v.object({ name: v.string() })),
      via: v.nullable(v.string()),
    }),
  ),
});

export interface Me {
  id: string;
  role: 'contributor' | 'author' | 'editor' | 'admin';
  author: string | null;
}

/** The form's fields: [name in the document, label, kind]. */
const FIELDS = [
  ['title', 'Title', 'text'],
  ['description', 'Standfirst', 'textarea'],
  ['section', 'Section', 'text'],
  ['tags', 'Tags', 'list'],
  ['authors', 'Authors', 'list'],
  ['lang', 'Language', 'text'],
  ['correction', 'Correction', 'textarea'],
  ['publishAt', 'Schedule', 'datetime-local'],
] as const;
type Field = (typeof FIELDS)[number][0];

const slugify = (title: string) =>
  title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

/** `2026-12-08T10:00` in the editor's zone ↔ an RFC 3339 instant. */
const toLocal = (iso: string | undefined) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocal = (local: string) => (local ? new Date(local).toISOString() : undefined);

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

  const inputs = new Map<Field, HTMLInputElement | HTMLTextAreaElement>();
  const errors = new Map<string, HTMLElement>();
  const errorFor = (name: string) => {
    const el = h('p', { id: `error-${name}`, class: 'field-error', hidden: true });
    errors.set(name, el);
    return el;
  };
  const values = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [name, , kind] of FIELDS) {
      const value = inputs.get(name)?.value.trim() ?? '';
      if (kind === 'list')
        out[name] = value
          ? value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined;
      else if (kind === 'datetime-local') out[name] = fromLocal(value);
      else out[name] = value || undefined;
    }
    out.body = body.markdown();
    return out;
  };
  const remember = () => keep(key, { basedOn: etag, values: values() });
  const body = bodyEditor(typeof base.body === 'string' ? base.body : '', 'label-body', remember);

  // A contributor cannot schedule: no Schedule field for them.
  const shown = FIELDS.filter(([name]) => name !== 'publishAt' || me.role !== 'contributor');
  const fields = shown.map(([name, label, kind]) => {
    const id = `field-${name}`;
    const value = base[name];
    const text = Array.isArray(value)
      ? value.join(', ')
      : kind === 'datetime-local'
        ? toLocal(value)
        : (value ?? '');
    const listId = `${id}-suggestions`;
    const input =
      kind === 'textarea'
        ? (h(
            'textarea',
            { id, name, rows: 3, 'aria-describedby': `error-${name}` },
            text,
          ) as HTMLTextAreaElement)
        : (h('input', {
            id,
            name,
            type: kind === 'list' ? 'text' : kind,
            value: text,
            'aria-describedby': `error-${name}${kind === 'list' ? ` hint-${name}` : ''}${kind === 'datetime-local' ? ` hint-${name}` : ''}`,
            list: name === 'section' || name === 'tags' || name === 'authors' ? listId : undefined,
            required: name === 'title',
          }) as HTMLInputElement);
    input.addEventListener('input', remember);
    inputs.set(name, input);
    const hint =
      kind === 'list'
        ? h('span', { id: `hint-${name}`, class: 'hint' }, 'Separate them with commas.')
        : kind === 'datetime-local'
          ? h(
              'span',
              { id: `hint-${name}`, class: 'hint' },
              `In your time zone (${localZone()}); the site's is ${zoneName()}. Empty: publish now.`,
            )
          : null;
    const known =
      name === 'section'
        ? suggestions.sections
        : name === 'tags'
          ? suggestions.tags
          : name === 'authors'
            ? suggestions.authors
            : null;
    return h(
      'p',
      { class: 'field' },
      h('label', { for: id }, label),
      hint,
      input,
      known ? h('datalist', { id: listId }, ...known.map((k) => h('option', { value: k }))) : null,
      errorFor(name),
    );
  });

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

  const showConflict = async (target: string) => {
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
  };

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

/** The form's own element, made before the view (saves check it is still on the page). */
function editorForm(...children: (Node | null)[]): HTMLElement {
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
function earlierNotice(copy: Copy, storedAs: string): HTMLElement {
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

/** A new article's address from its title (`new` is the editor's own, so never an article's). */
function articleSlug(title: string): string {
  const slug = slugify(title);
  if (!slug) return `article-${Date.now().toString(36)}`;
  return slug === 'new' ? 'new-article' : slug;
}

/** The fields of a document the local copy compares against. */
function pick(doc: Doc | null): Record<string, unknown> {
  if (!doc) return {};
  const { title, description, section, tags, authors, lang, correction, publishAt, body } = doc;
  return { title, description, section, tags, authors, lang, correction, publishAt, body };
}
