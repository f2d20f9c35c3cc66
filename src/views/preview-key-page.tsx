import { raw } from 'hono/html';
import { Layout } from './layout';

/**
 * Moves a preview link's key from its fragment (`/preview#<key>`, never sent to any server)
 * into the form, takes it off the address bar, and submits. Allowed by its hash alone.
 */
export const PREVIEW_KEY_SCRIPT =
  "(function(){var f=document.getElementById('preview-key');var k=location.hash.slice(1);" +
  "if(!f||!k)return;history.replaceState(null,'',location.pathname);" +
  "f.elements.namedItem('token').value=decodeURIComponent(k);f.submit();})();";

export interface PreviewKeyPageProps {
  siteName: string;
  lang: string;
}

/** The page a preview link opens: one field, the key, which the link's fragment fills in. */
export function PreviewKeyPage({ siteName, lang }: PreviewKeyPageProps) {
  return (
    <Layout
      siteName={siteName}
      lang={lang}
      title={`Open a preview · ${siteName}`}
      description="Open a private preview of an article with its key."
    >
      <h1>Open a preview</h1>
      <form id="preview-key" method="post" action="/preview">
        <p>
          <label for="token">Preview key</label>
          <br />
          <input
            id="token"
            name="token"
            type="password"
            required
            autocomplete="off"
            spellcheck={false}
            pattern="[A-Za-z0-9_\-]{43}"
            aria-describedby="preview-key-help"
          />
        </p>
        <p>
          <button type="submit">Show the preview</button>
        </p>
      </form>
      <p id="preview-key-help">
        A preview link carries its key after the # sign, and opening the link fills it in here. The
        key never travels in an address, so no request log keeps it.
      </p>
      <script>{raw(PREVIEW_KEY_SCRIPT)}</script>
    </Layout>
  );
}
