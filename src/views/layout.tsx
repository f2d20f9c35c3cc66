import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { escapeHtml } from './escape';
import { STYLES } from './styles';

export interface Alternate {
  type: string;
  href: string;
  title: string;
}

export interface LayoutProps {
  siteName: string;
  title: string;
  description?: string;
  /** Absolute canonical URL of the page. */
  canonical?: string;
  alternates?: Alternate[];
  /** Open Graph / Twitter `<meta>`s: property or name → content. */
  social?: [string, string][];
  /** A schema.org object, embedded as JSON-LD. */
  jsonLd?: object;
  /** The page's language (BCP 47): the article's, else the site's. */
  lang: string;
  /** The masthead's sections; `current` marks the one this page belongs to. */
  nav?: readonly NavItem[];
  children: Child;
}

/** One section in the masthead's navigation. */
export interface NavItem {
  name: string;
  href: string;
  /** `page` on the section's own page, `true` on an article filed under it (WAI-ARIA 1.2). */
  current?: 'page' | 'true';
}

/** `</script>` cannot end the JSON-LD early: `<` is written as its JSON escape. */
function jsonForScript(value: object): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The head's repeated elements (alternates, Open Graph and Twitter metas) as one string, the
 * bytes hono/jsx would write: it spends ~2.5 µs per element, and these are a third of a page's.
 */
function headLinks(alternates: Alternate[], social: [string, string][]): string {
  let out = '';
  for (const { type, href, title } of alternates) {
    out += `<link rel="alternate" type="${escapeHtml(type)}" href="${escapeHtml(href)}" title="${escapeHtml(title)}"/>`;
  }
  for (const [key, content] of social) {
    const attribute = key.startsWith('twitter:') ? 'name' : 'property';
    out += `<meta ${attribute}="${escapeHtml(key)}" content="${escapeHtml(content)}"/>`;
  }
  return out;
}

/**
 * The document around every HTML page: one `main`, a skip link to it, the masthead (the site's
 * nameplate over its sections) and the footer, all on one column.
 */
export function Layout(props: LayoutProps) {
  const { siteName, title, description, canonical, alternates = [], social = [], jsonLd } = props;
  const nav = props.nav ?? [];
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={props.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
          {description ? <meta name="description" content={description} /> : null}
          {canonical ? <link rel="canonical" href={canonical} /> : null}
          {raw(headLinks(alternates, social))}
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <link rel="apple-touch-icon" href="/favicon.svg" />
          <style>{raw(STYLES)}</style>
          {jsonLd ? <script type="application/ld+json">{raw(jsonForScript(jsonLd))}</script> : null}
        </head>
        <body>
          <a class="skip" href="#content">
            Skip to content
          </a>
          <header class={nav.length > 0 ? 'masthead' : 'masthead bare'}>
            <a class="nameplate" href="/">
              {siteName}
            </a>
            {nav.length > 0 ? (
              <nav aria-label="Sections">
                <ul>
                  {nav.map((item) => (
                    <li>
                      <a href={item.href} aria-current={item.current}>
                        {item.name}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
          </header>
          <main id="content">{props.children}</main>
          <footer class="site-foot">
            <p>
              {siteName} · <a href="/feed.xml">Atom feed</a> · <a href="/feed.json">JSON Feed</a>
            </p>
          </footer>
        </body>
      </html>
    </>
  );
}

/** The feeds, as every page advertises them. */
export const FEED_ALTERNATES: Alternate[] = [
  { type: 'application/atom+xml', href: '/feed.xml', title: 'Atom feed' },
  { type: 'application/feed+json', href: '/feed.json', title: 'JSON Feed' },
];
