import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { STYLES } from './styles';

export interface Alternate {
  type: string;
  href: string;
  title?: string;
}

export interface LayoutProps {
  siteName: string;
  title: string;
  description?: string;
  alternates?: Alternate[];
  children: Child;
}

/** The document around every HTML page: one `main`, a skip link to it, site header and footer. */
export function Layout({ siteName, title, description, alternates = [], children }: LayoutProps) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
          {description ? <meta name="description" content={description} /> : null}
          {alternates.map((alternate) => (
            <link
              rel="alternate"
              type={alternate.type}
              href={alternate.href}
              title={alternate.title}
            />
          ))}
          <style>{raw(STYLES)}</style>
        </head>
        <body>
          <a class="skip" href="#content">
            Skip to content
          </a>
          <header>
            <p>
              <a href="/">{siteName}</a>
            </p>
          </header>
          <main id="content">{children}</main>
          <footer>
            <p>Published with kvpress.</p>
          </footer>
        </body>
      </html>
    </>
  );
}
