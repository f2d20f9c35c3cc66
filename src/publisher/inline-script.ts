/**
 * The CSP source that allows one inline script by its hash (CSP3 `'sha256-…'`), computed once
 * per script per isolate: the publisher's pages with a script (the preview key form, the sign-in
 * pages) allow exactly that script and nothing else.
 */
const sources = new Map<string, Promise<string>>();

/** `'sha256-<base64>'` of `script`. */
export function inlineScriptSource(script: string): Promise<string> {
  let source = sources.get(script);
  if (!source) {
    source = crypto.subtle
      .digest('SHA-256', new TextEncoder().encode(script))
      .then((digest) => `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`);
    sources.set(script, source);
  }
  return source;
}
