/**
 * The newsroom's shell: /admin and its views (/admin/articles/…) answer, for a signed-in person,
 * one page that names them and their role and loads the app (src/admin/, a static asset at
 * /admin/app/). Not signed in: to /admin/sign-in. The app's files come through the ASSETS binding
 * for /admin/app/… only: every other path is the Worker's.
 */
import { ProblemError } from '../../http/problem';
import type { PublisherContext } from '../context';
import { addressOf, credentialOf } from './authenticate';

/** GET /admin/app/*: the app's built files (absent where no assets are bound, e.g. the unit tests). */
export async function adminAsset(c: PublisherContext) {
  const assets = c.env.ASSETS as Fetcher | undefined;
  if (!assets) throw new ProblemError(404, 'Not Found', 'Nothing is published at this path.');
  const res = await assets.fetch(c.req.raw);
  if (res.status === 404)
    throw new ProblemError(404, 'Not Found', 'Nothing is published at this path.');
  // A copy with mutable headers: the site's security headers are added on the way out.
  return new Response(res.body, res);
}

/** GET /admin and /admin/articles/…: the app's shell, or a redirect to sign in. */
export async function newsroomShell(c: PublisherContext) {
  const credential = await credentialOf(c).catch(() => null);
  const known = credential && (credential.kind === 'session' || credential.kind === 'access');
  const result = known ? await c.var.site.authenticate(credential, addressOf(c)) : null;
  const person = result?.ok ? result.principal.person : null;
  if (!person) return c.redirect('/admin/sign-in', 303);
  const page = await (
    <html lang={c.var.config.siteLang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Newsroom · {c.var.config.siteName}</title>
        <link rel="stylesheet" href="/admin/app/app-style.css" />
        <script type="module" src="/admin/app/app.js"></script>
      </head>
      <body
        class="newsroom"
        data-person={person.id}
        data-role={person.role}
        data-author={person.author ?? ''}
        data-timezone={c.var.config.siteTimeZone}
      >
        <header class="bar">
          <p>
            <a href="/admin">{c.var.config.siteName} newsroom</a>
          </p>
          <p>
            Signed in as <strong>{person.name}</strong> ({person.email}), {person.role}
            {person.author ? `, writing as ${person.author}` : ''}.
          </p>
          {credential?.kind === 'session' ? (
            <form method="post" action="/admin/sign-out">
              <button type="submit">Sign out</button>
            </form>
          ) : (
            <p>Signed in through Cloudflare Access.</p>
          )}
        </header>
        <main id="app" tabindex={-1}>
          <h1>Newsroom</h1>
          <p>Loading the desk…</p>
        </main>
        <p id="announce" class="visually-hidden" aria-live="polite"></p>
      </body>
    </html>
  ).toString();
  return c.html(`<!doctype html>${page}`, 200, {
    'Cache-Control': 'private, no-store',
    'X-Robots-Tag': 'noindex, nofollow',
    'Referrer-Policy': 'same-origin',
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "img-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
  });
}
