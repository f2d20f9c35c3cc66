/**
 * Run first by `npm run deploy`: refuses to deploy with an empty SITE_URL. With it empty, the
 * request's Host header chooses the origin written into bodies (canonical links, JSON `url`,
 * feeds), so any host that reaches the Worker would be cached into its answers.
 */
import { readFile } from 'node:fs/promises';

const toml = await readFile('wrangler.toml', 'utf8');
const siteUrl = /^SITE_URL\s*=\s*"([^"]*)"/m.exec(toml)?.[1] ?? '';
let problem: string | undefined;
if (siteUrl === '') problem = 'SITE_URL is empty in wrangler.toml [vars]';
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
if (problem) {
  console.error(
    `deploy refused: ${problem}. Set it to the site's public origin (see README "Deploy").`,
  );
  process.exit(1);
}
console.log(`deploy: SITE_URL is ${siteUrl}`);
