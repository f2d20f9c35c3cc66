/**
 * The desk: every article by state (draft, in review, scheduled, published), newest change
 * first, filtered by state, section and author, found by title; who changed each last.
 */
import * as v from 'valibot';
import { api } from './api';
import { h, show } from './dom';
import { inSiteZone } from './time';

const STATES = ['draft', 'in review', 'scheduled', 'published'] as const;

export const Listed = v.object({
  slug: v.string(),
  status: v.picklist(STATES),
  title: v.string(),
  section: v.optional(v.nullable(v.string())),
  authors: v.optional(v.nullable(v.array(v.string()))),
  tags: v.optional(v.nullable(v.array(v.string()))),
  publishAt: v.nullable(v.string()),
  changedAt: v.optional(v.nullable(v.string())),
  changedBy: v.optional(v.nullable(v.string())),
});
type Listed = v.InferOutput<typeof Listed>;
const List = v.object({ articles: v.array(Listed) });

const when = inSiteZone;

function options(values: string[], label: string): HTMLElement[] {
  return [
    h('option', { value: '' }, label),
    ...values.map((value) => h('option', { value }, value)),
  ];
}

/** Renders the desk into `root`. */
export async function showDesk(root: HTMLElement, navigate: (path: string) => void): Promise<void> {
  document.title = 'Desk · Newsroom';
  const { body } = await api(List, 'GET', '/api/articles');
  const articles = [...body.articles].sort((a, b) =>
    (b.changedAt ?? '').localeCompare(a.changedAt ?? ''),
  );
  const sections = [...new Set(articles.flatMap((a) => (a.section ? [a.section] : [])))].sort();
  const authors = [...new Set(articles.flatMap((a) => a.authors ?? []))].sort();
  const find = h('input', { id: 'find', type: 'search', autocomplete: 'off' }) as HTMLInputElement;
  const state = h(
    'select',
    { id: 'filter-state' },
    ...options([...STATES], 'Any state'),
  ) as HTMLSelectElement;
  const section = h(
    'select',
    { id: 'filter-section' },
    ...options(sections, 'Any section'),
  ) as HTMLSelectElement;
  const author = h(
    'select',
    { id: 'filter-author' },
    ...options(authors, 'Any author'),
  ) as HTMLSelectElement;
  const list = h('div', { id: 'desk-list' });
  const count = h('p', { role: 'status', 'aria-live': 'polite', class: 'count' });

  const render = () => {
    const query = find.value.trim().toLowerCase();
    const shown = articles.filter(
      (a) =>
        (!query || a.title.toLowerCase().includes(query)) &&
        (!state.value || a.status === state.value) &&
        (!section.value || a.section === section.value) &&
        (!author.value || (a.authors ?? []).includes(author.value)),
    );
    count.textContent = `${shown.length} of ${articles.length} articles`;
    show(
      list,
      ...STATES.map((status) => {
        const group = shown.filter((a) => a.status === status);
        if (group.length === 0) return null;
        return h(
          'section',
          { 'aria-labelledby': `state-${status.replace(' ', '-')}` },
          h(
            'h2',
            { id: `state-${status.replace(' ', '-')}` },
            `${status[0]?.toUpperCase()}${status.slice(1)} (${group.length})`,
          ),
          h('ul', { class: 'articles' }, ...group.map((a) => item(a, navigate))),
        );
      }),
    );
  };
  for (const control of [find, state, section, author]) control.addEventListener('input', render);
  show(
    root,
    h(
      'div',
      { class: 'desk-head' },
      h('h1', { tabindex: -1 }, 'Desk'),
      h(
        'a',
        {
          href: '/admin/articles/new',
          class: 'button primary',
          onclick: link(navigate, '/admin/articles/new'),
        },
        'New article',
      ),
    ),
    h(
      'form',
      { class: 'filters', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
      h('p', {}, h('label', { for: 'find' }, 'Find by title'), find),
      h('p', {}, h('label', { for: 'filter-state' }, 'State'), state),
      h('p', {}, h('label', { for: 'filter-section' }, 'Section'), section),
      h('p', {}, h('label', { for: 'filter-author' }, 'Author'), author),
    ),
    count,
    list,
  );
  render();
}

function item(article: Listed, navigate: (path: string) => void): HTMLElement {
  const path = `/admin/articles/${article.slug}`;
  const facts = [
    article.section,
    (article.authors ?? []).join(', '),
    article.status === 'scheduled' ? `goes out ${when(article.publishAt)}` : '',
    article.changedAt
      ? `changed ${when(article.changedAt)}${article.changedBy ? ` by ${article.changedBy}` : ''}`
      : '',
  ].filter(Boolean);
  return h(
    'li',
    {},
    h('a', { href: path, onclick: link(navigate, path) }, article.title),
    h('p', { class: 'facts' }, facts.join(' · ')),
  );
}

/** A same-app link: navigates without a reload (a modified click opens as usual). */
export const link = (navigate: (path: string) => void, path: string) => (event: Event) => {
  const e = event as MouseEvent;
  if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  navigate(path);
};
