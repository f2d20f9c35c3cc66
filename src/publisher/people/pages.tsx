/**
 * The minimal pages signing in needs, served by the publisher under /admin (the reader forwards
 * them): sign in with a passkey, register one from an invitation, npm start's one-time local link
 * and sign-out; the newsroom itself is newsroom.tsx.
 *
 * Each page has one inline script, allowed by its hash alone (no other script, no eval): it
 * takes a link's secret from the fragment (never sent, so never logged), runs the WebAuthn
 * ceremony with the browser's own JSON helpers (PublicKeyCredential.parseCreationOptionsFromJSON,
 * parseRequestOptionsFromJSON, toJSON) and posts the result. Errors are announced in a live region.
 */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { STYLES_CSP_HASH } from '../../render-version';
import { Layout } from '../../views/layout';
import type { PublisherContext } from '../context';
import { inlineScriptSource } from '../inline-script';

/** What the page's form does: sign in with a passkey, register one, or use a local link. */
type Ceremony = 'sign-in' | 'register' | 'link';

export const ADMIN_SCRIPT =
  "(function(){var f=document.querySelector('form[data-ceremony]');if(!f)return;" +
  "var kind=f.getAttribute('data-ceremony');var out=document.getElementById('status');" +
  "var secret=location.hash.slice(1);if(secret)history.replaceState(null,'',location.pathname);" +
  'function post(url,body){return fetch(url,{method:"POST",headers:{"Content-Type":"application/json"},' +
  'body:JSON.stringify(body)}).then(function(r){return r.json().catch(function(){return {};})' +
  '.then(function(j){if(!r.ok)throw new Error(j.detail||r.statusText);return j;});});}' +
  "f.addEventListener('submit',function(e){e.preventDefault();var b=f.querySelector('button');" +
  "b.disabled=true;out.textContent=kind==='register'?'Creating your passkey…':'Signing in…';var done;" +
  "if(kind==='link')done=post('/admin/sign-in/link',{secret:secret});" +
  "else if(kind==='register')done=post('/admin/passkeys/options',{invitation:secret}).then(function(o){" +
  'return navigator.credentials.create({publicKey:PublicKeyCredential.parseCreationOptionsFromJSON(o.options)})' +
  ".then(function(c){return post('/admin/passkeys',{challengeId:o.challengeId,response:c.toJSON()});});});" +
  "else done=post('/admin/sign-in/options',{}).then(function(o){" +
  'return navigator.credentials.get({publicKey:PublicKeyCredential.parseRequestOptionsFromJSON(o.options)})' +
  ".then(function(c){return post('/admin/sign-in',{challengeId:o.challengeId,response:c.toJSON()});});});" +
  "done.then(function(){location.assign('/admin');},function(err){out.textContent=err.message;b.disabled=false;b.focus();});});" +
  "if(kind==='link'&&secret)f.requestSubmit();})();";

const HEADERS = {
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  // Not no-referrer: with it, a form's POST carries `Origin: null` (Fetch §3.1), and the
  // sign-out's Origin check would refuse the site's own form.
  'Referrer-Policy': 'same-origin',
};

async function page(c: PublisherContext, title: string, body: Child, status: 200 | 403 = 200) {
  const { siteName, siteLang } = c.var.config;
  const html = await (
    <Layout siteName={siteName} lang={siteLang} title={`${title} · ${siteName}`}>
      {body}
      <script>{raw(ADMIN_SCRIPT)}</script>
    </Layout>
  ).toString();
  return c.html(html, status, {
    ...HEADERS,
    'Content-Security-Policy': [
      "default-src 'none'",
      `style-src ${STYLES_CSP_HASH}`,
      `script-src ${await inlineScriptSource(ADMIN_SCRIPT)}`,
      "connect-src 'self'",
      "img-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
  });
}

function CeremonyForm({ ceremony, button }: { ceremony: Ceremony; button: string }) {
  return (
    <form data-ceremony={ceremony} method="post" action="#">
      <p>
        <button type="submit">{button}</button>
      </p>
      <p id="status" role="status" aria-live="polite"></p>
    </form>
  );
}

/** GET /admin/sign-in */
export const signInPage = (c: PublisherContext) =>
  page(
    c,
    'Sign in',
    <>
      <h1>Sign in to the newsroom</h1>
      <p>
        Use the passkey you registered from your invitation: on this device, a phone, or a security
        key.
      </p>
      <CeremonyForm ceremony="sign-in" button="Sign in with a passkey" />
      <p>Lost your passkeys? Ask an admin for a new invitation.</p>
    </>,
  );

/** GET /admin/invitation#<secret> */
export const invitationPage = (c: PublisherContext) =>
  page(
    c,
    'Accept your invitation',
    <>
      <h1>Accept your invitation</h1>
      <p>
        Create a passkey for this newsroom. Your device keeps it (with your fingerprint, face, PIN
        or security key); there is no password. The invitation works once.
      </p>
      <CeremonyForm ceremony="register" button="Create a passkey" />
    </>,
  );

/** GET /admin/sign-in/link#<secret>: npm start's link (404 unless LOCAL_SIGN_IN). */
export function linkPage(c: PublisherContext) {
  if (!c.var.config.localSignIn) return c.notFound();
  return page(
    c,
    'Local sign-in',
    <>
      <h1>Local sign-in</h1>
      <p>This one-time link from npm start signs you in as the local admin.</p>
      <CeremonyForm ceremony="link" button="Sign in" />
    </>,
  );
}
