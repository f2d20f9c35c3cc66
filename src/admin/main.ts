/**
 * The newsroom app, at /admin (the publisher serves its shell with who is signed in, and this
 * bundle as a static asset): the desk, and the editor for a new or an existing article. Routes
 * are real URLs (/admin, /admin/articles/new, /admin/articles/<slug>), each served by the
 * publisher as the same shell, so a reload or a shared link opens the same view.
 */
import * as v from 'valibot';
import { api } from './api';
import { Listed, showDesk } from './desk';
import { announce, h, show } from './dom';
import { type Me, showEditor } from './editor/index';

const root = document.getElementById('app');
const me: Me = {
  id: document.body.dataset.person ?? '',
  role: v.parse(
    v.picklist(['contributor', 'author', 'editor', 'admin']),
    document.body.dataset.role,
  ),
  author: document.body.dataset.author || null,
};

async function suggestions() {
  const { body } = await api(v.object({ articles: v.array(Listed) }), 'GET', '/api/articles');
  const all = (pick: (a: v.InferOutput<typeof Listed>) => string[]) =>
    [...new Set(body.articles.flatMap(pick))].sort();
  return {
    sections: all((a) => (a.section ? [a.section] : [])),
    tags: all((a) => a.tags ?? []),
    authors: all((a) => a.authors ?? []),
  };
}

async function route(): Promise<void> {
  if (!root) return;
  const path = location.pathname.replace(/\/+$/, '');
  const editing = /^\/admin\/articles\/([a-z0-9-]+)$/.exec(path)?.[1];
  try {
    if (editing)
      await showEditor(root, editing === 'new' ? null : editing, me, await suggestions(), navigate);
    else await showDesk(root, navigate);
    root.querySelector('h1')?.focus();
  } catch (error) {
    show(
      root,
      h('h1', { tabindex: -1 }, 'Something went wrong'),
      h('p', { role: 'alert' }, error instanceof Error ? error.message : String(error)),
    );
  }
}

function navigate(path: string): void {
  history.pushState(null, '', path);
  void route().then(() => announce(document.title));
}

window.addEventListener('popstate', () => void route());
void route();
