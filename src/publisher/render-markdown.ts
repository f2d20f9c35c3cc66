/**
 * Markdown → HTML, run once at publish time, never per request.
 * Raw HTML in the Markdown is shown as text (escaped), and links or images whose URL
 * scheme is not http(s), mailto or relative are rendered without the URL. Images in the body
 * load lazily (they are below the headline and the lead picture). A quote whose last paragraph
 * starts with a dash is a pull quote with its attribution:
 *
 *     > It is not hard to see why Trump might choose Putin as his fantasy friend.
 *     >
 *     > — Timothy Snyder
 *
 * becomes `<figure class="pullquote"><blockquote>…</blockquote><figcaption>— Timothy Snyder…`.
 */
import { Marked, type Tokens } from 'marked';
import { escapeHtml } from '../views/escape';

/** An attribution line: an em dash, a horizontal bar, or two hyphens, then the name. */
const ATTRIBUTION = /^(?:—|―|--)\s*\S/;

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
        ? `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}" loading="lazy" decoding="async">`
        : escapeHtml(text);
    },
    blockquote({ tokens }) {
      const last = tokens.at(-1);
      const quote = tokens.slice(0, -1);
      if (last?.type === 'paragraph' && ATTRIBUTION.test(last.raw) && quote.length > 0) {
        const by = this.parser.parseInline((last as Tokens.Paragraph).tokens);
        return `<figure class="pullquote"><blockquote>\n${this.parser.parse(quote)}</blockquote><figcaption>${by}</figcaption></figure>\n`;
      }
      return `<blockquote>\n${this.parser.parse(tokens)}</blockquote>\n`;
    },
  },
});

/** @example renderMarkdown('Hello *world*') // '<p>Hello <em>world</em></p>\n' */
export function renderMarkdown(markdown: string): string {
  return marked.parse(markdown, { async: false });
}
