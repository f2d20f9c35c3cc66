/**
 * Run first by `npm run deploy`: refuses to deploy with an empty SITE_URL. With it empty, the
 * request's Host header chooses the origin written into bodies (canonical links, JSON `url`,
 * feeds), so any host that reaches the Worker would be cached into its answers. Also refuses
 * ACTIVITYPUB_PUBLIC_KEYS that are empty or differ between the two configs: followers verify
 * the publisher's signatures with the key the reader publishes. And refuses, before the long
 * check runs, the placeholder KV namespace id (000…: every local stack's) and a reader on
 * workers.dev (`workers_dev = true`: the Cache API stores nothing there), and LOCAL_SIGN_IN (npm
 * start's one-click admin link) left on.
 */
import { readFile } from 'node:fs/promises';
import { allSettingsProblems } from './check-settings';

const siteUrlOf = async (file: string) =>
  /^SITE_URL\s*=\s*"([^"]*)"/m.exec(await readFile(file, 'utf8'))?.[1] ?? '';
const publicKeysOf = async (file: string) =>
  /^ACTIVITYPUB_PUBLIC_KEYS\s*=\s*(['"])(.*)\1\s*$/m.exec(await readFile(file, 'utf8'))?.[2] ?? '';
const siteUrl = await siteUrlOf('wrangler.toml');
// The publisher writes the same origin into preview pages and the API's `url` fields.
const publisherSiteUrl = await siteUrlOf('wrangler.publisher.toml');
const kvIdOf = async (file: string) =>
  /^\[\[kv_namespaces\]\][\s\S]*?^id\s*=\s*"([^"]*)"/m.exec(await readFile(file, 'utf8'))?.[1] ??
  '';
const readerOnWorkersDev = /^workers_dev\s*=\s*true/m.test(await readFile('wrangler.toml', 'utf8'));
const settingsProblem = allSettingsProblems();
// The local sign-in link signs anyone who opens it in as an admin: a developer's, never a deploy's.
// Anything but an explicit "false" (or no line at all) is refused: no quoting or spacing slips by.
const localSignInLines = [
  ...(await readFile('wrangler.publisher.toml', 'utf8')).matchAll(
    /^\s*LOCAL_SIGN_IN\s*=\s*(.*?)\s*$/gm,
  ),
].map((m) => m[1]);
const localSignIn = localSignInLines.some((value) => value !== '"false"');
let problem: string | undefined;
if (settingsProblem) problem = settingsProblem;
else if (localSignIn) {
  problem =
    'LOCAL_SIGN_IN is not "false" in wrangler.publisher.toml: the local sign-in link is for npm start only; set it to "false"';
} else if (
  /^0+$/.test(await kvIdOf('wrangler.toml')) ||
  /^0+$/.test(await kvIdOf('wrangler.publisher.toml'))
) {
  problem =
    'the KV namespace id is the placeholder 000… in wrangler.toml or wrangler.publisher.toml: create the namespace (npx wrangler kv namespace create ARTICLES) and put its id in both';
} else if (readerOnWorkersDev) {
  problem =
    'wrangler.toml has workers_dev = true: the Cache API stores nothing on *.workers.dev; give the reader a route or custom domain and set workers_dev = false';
} else if (siteUrl === '')
  problem = "SITE_URL is empty in wrangler.toml [vars]: set it to the site's public origin";
else if (publisherSiteUrl !== siteUrl)
  problem = `SITE_URL in wrangler.publisher.toml ("${publisherSiteUrl}") must equal wrangler.toml's ("${siteUrl}")`;
else {
  try {
    const url = new URL(siteUrl);
    if (url.protocol !== 'https:' || url.pathname !== '/' || url.search || url.hash) {
      problem = `SITE_URL "${siteUrl}" must be an https origin, such as https://news.example.com`;
    }
  } catch {
    problem = `SITE_URL "${siteUrl}" is not a URL`;
  }
}
const publicKeys = await publicKeysOf('wrangler.toml');
if (!problem && publicKeys === '') {
  problem =
    'ACTIVITYPUB_PUBLIC_KEYS is empty in wrangler.toml [vars]: make the actor keys with npm run activitypub:keys';
} else if (!problem && (await publicKeysOf('wrangler.publisher.toml')) !== publicKeys) {
  problem = "ACTIVITYPUB_PUBLIC_KEYS in wrangler.publisher.toml must equal wrangler.toml's";
}
if (problem) {
  console.error(`deploy refused: ${problem} (see docs/deploying.md).`);
  process.exit(1);
}
console.log(`deploy: SITE_URL is ${siteUrl}`);
