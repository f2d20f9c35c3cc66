/**
 * Markdown → HTML, run once at publish time, never per request.
 * Raw HTML in the Markdown is shown as text (escaped), and links or images whose URL
 * scheme is not http(s), mailto or relative are rendered without the URL.
 */
import { Marked } from 'marked';
import { escapeHtml } from '../views/escape';

const SAFE_URL = /^(?:https?:|mailto:|[^:]*$|[^:]*[/?#])/i;

/** True for http(s), mailto and relative URLs; false for `javascript:`, `data:` and the like. */
export function isSafeUrl(url: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme: strip them first.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return SAFE_URL.test(url.replace(/[\u0000-\u0020\u007f]/g, ''));
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, tokens }) {
      const label = this.parser.parseInline(tokens);
      return isSafeUrl(href) ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
    },
    image({ href, text }) {
      return isSafeUrl(href)
        ? `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}">`
        : escapeHtml(text);
    },
  },
});

/** @example renderMarkdown('Hello *world*') // '<p>Hello <em>world</em></p>\n' */
export function renderMarkdown(markdown: string): string {
  return marked.parse(markdown, { async: false });
}
