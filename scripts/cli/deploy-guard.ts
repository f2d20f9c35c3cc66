/**
 * Run first by `npm run deploy`: refuses to deploy with an empty SITE_URL. With it empty, the
 * request's Host header chooses the origin written into bodies (canonical links, JSON `url`,
 * feeds), so any host that reaches the Worker would be cached into its answers. Also refuses
 * ACTIVITYPUB_PUBLIC_KEYS that are empty or differ between the two configs: followers verify
 * the publisher's signatures with the key the reader publishes.
 */
import { readFile } from 'node:fs/promises';
import { settingsProblems } from './check-settings';

const siteUrlOf = async (file: string) =>
  /^SITE_URL\s*=\s*"([^"]*)"/m.exec(await readFile(file, 'utf8'))?.[1] ?? '';
const publicKeysOf = async (file: string) =>
  /^ACTIVITYPUB_PUBLIC_KEYS\s*=\s*(['"])(.*)\1\s*$/m.exec(await readFile(file, 'utf8'))?.[2] ?? '';
const siteUrl = await siteUrlOf('wrangler.toml');
// The publisher writes the same origin into preview pages and the API's `url` fields.
const publisherSiteUrl = await siteUrlOf('wrangler.publisher.toml');
let problem: string | undefined = settingsProblems();
if (problem) problem = `wrangler.publisher.toml [vars]: ${problem}`;
else if (siteUrl === '') problem = 'SITE_URL is empty in wrangler.toml [vars]';
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
  console.error(
    `deploy refused: ${problem}. Set it to the site's public origin (see docs/deploying.md).`,
  );
  process.exit(1);
}
console.log(`deploy: SITE_URL is ${siteUrl}`);
