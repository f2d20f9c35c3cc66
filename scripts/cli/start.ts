/**
 * npm start: the local stack on PORT (default 8787), then content/ published through it.
 *
 * One `wrangler dev` runs both Workers: the reader first (it serves PORT), the publisher beside
 * it (reached over the reader's service binding, with its Durable Object). State persists in
 * .wrangler/state, so a restart keeps what was published through the API; the file sync that
 * follows never retracts or overwrites it (see scripts/cli/publish.ts).
 *
 * The API token: PUBLISH_TOKEN from .dev.vars when set, else one made on the first start and
 * kept in .wrangler/kvpress-session-token (the CLI and your curl read it there; a restart keeps it).
 * The ActivityPub actor's keys: from .dev.vars when set, else a pair made once for this checkout
 * and kept in .wrangler/kvpress-actor-keys.json (git-ignored), so followers keep verifying. Both
 * reach the two Workers through one env file (.wrangler/kvpress-session.env) after .dev.vars.
 * Once served, it prints a one-time sign-in link for the local admin (scripts/lib/local-sign-in.ts):
 * opened in a browser, it signs in and lands on /admin.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MIN_TOKEN_LENGTH } from '../../src/publisher/api-types';
import {
  devEnv,
  isolatedConfigs,
  optionalSecretsIn,
  wranglerDevArgs,
  writeEnvFile,
} from '../lib/dev-env';
import { localSignInLink } from '../lib/local-sign-in';
import {
  devVarsToken,
  isRunning,
  LOCAL_STATE,
  newToken,
  SESSION_TOKEN_FILE,
  saveSessionToken,
  sessionToken,
} from '../lib/publisher-client';
import { claimState } from '../lib/state-owner';
import { makeActorKeys } from './activitypub-keys';
import { buildAdmin } from './build-admin';

const port = Number(process.env.PORT ?? '8787');
const KEYS_FILE = '.wrangler/kvpress-actor-keys.json';
const SESSION_ENV = '.wrangler/kvpress-session.env';

/** The names .dev.vars sets. */
const devVarsNames = (): Set<string> =>
  new Set(
    existsSync('.dev.vars')
      ? [...readFileSync('.dev.vars', 'utf8').matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map(
          (m) => m[1] ?? '',
        )
      : [],
  );

/** Whether .dev.vars sets `name`. */
const inDevVars = (name: string) => devVarsNames().has(name);

/** This checkout's local actor keys: made once, then kept. */
async function localActorKeys(): Promise<{ private: string; public: string }> {
  if (existsSync(KEYS_FILE)) return JSON.parse(readFileSync(KEYS_FILE, 'utf8'));
  const keys = await makeActorKeys();
  await mkdir('.wrangler', { recursive: true });
  await writeFile(KEYS_FILE, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

function fail(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

async function waitUntilUp(origin: string, dev: ChildProcess): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (dev.exitCode !== null) fail(`wrangler dev exited with code ${dev.exitCode}`);
    if (await isRunning(origin)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  fail('wrangler dev did not answer within 60 s');
}

/**
 * Waits until the reader serves what the publisher holds: every published article (the newest
 * 50) answers 200 at its URL. "serving" is printed only then (within the freshness bound).
 */
async function untilServed(origin: string, token: string): Promise<void> {
  const res = await fetch(`${origin}/api/articles`, {
    headers: { Authorization: `Bearer ${token}` },
  }).catch(() => undefined);
  if (!res?.ok) return;
  const { articles } = (await res.json()) as { articles: { slug: string; status: string }[] };
  const slugs = articles.filter((a) => a.status === 'published').slice(0, 50);
  const until = Date.now() + 10_000;
  for (const { slug } of slugs) {
    for (;;) {
      const page = await fetch(`${origin}/articles/${slug}`, { method: 'HEAD' }).catch(
        () => undefined,
      );
      if (page?.status === 200) break;
      if (Date.now() > until) {
        console.warn(`kvpress: /articles/${slug} is not served 10 s after its publish`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function main(): Promise<void> {
  const fromDevVars = devVarsToken();
  if (fromDevVars !== undefined && fromDevVars.length < MIN_TOKEN_LENGTH) {
    fail(
      `PUBLISH_TOKEN in .dev.vars is ${fromDevVars.length} characters; the publisher refuses tokens shorter than ${MIN_TOKEN_LENGTH}. Make one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`,
    );
  }
  // Kept across restarts (a curl or a CLI that read it goes on working); made on the first.
  const kept = sessionToken();
  const token = fromDevVars ?? (kept && kept.length >= MIN_TOKEN_LENGTH ? kept : newToken());
  if (!fromDevVars) await saveSessionToken(token);

  const session: Record<string, string> = {};
  if (!fromDevVars) session.PUBLISH_TOKEN = token;
  if (!inDevVars('ACTIVITYPUB_PRIVATE_KEYS')) {
    const keys = await localActorKeys();
    session.ACTIVITYPUB_PRIVATE_KEYS = keys.private;
    session.ACTIVITYPUB_PUBLIC_KEYS = keys.public;
  }
  // Activity ids are absolute: the local stack's own origin, unless .dev.vars names one.
  if (!inDevVars('SITE_URL')) session.SITE_URL = `http://localhost:${port}`;
  // The one-time local sign-in link below (never in a deploy: the deploy guard refuses it).
  if (!inDevVars('LOCAL_SIGN_IN')) session.LOCAL_SIGN_IN = 'true';
  await writeEnvFile(SESSION_ENV, session);
  const envFiles = [...(existsSync('.dev.vars') ? ['.dev.vars'] : []), SESSION_ENV].map((file) =>
    path.resolve(file),
  );
  // The configs run from a copy in .wrangler/ (see isolatedConfigs): there, both Workers take
  // .dev.vars and the session's settings from the env files, the publisher too.
  const [reader, publisher] = await isolatedConfigs(
    path.resolve('.wrangler/config'),
    optionalSecretsIn([...devVarsNames(), ...Object.keys(process.env)]),
  );
  // One owner of the local state: a second npm start, or a CLI publisher already on it, is named
  // and refused (state-owner.ts); the CLI finds this stack by the file, whatever the port.
  try {
    await claimState(path.resolve(LOCAL_STATE), 'npm start', `http://127.0.0.1:${port}`);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  // The newsroom's app: wrangler checks its assets folder before its [build] runs.
  await buildAdmin();
  const dev = spawn(
    'wrangler',
    wranglerDevArgs({
      configs: [reader, publisher],
      state: path.resolve(LOCAL_STATE),
      port,
      envFiles,
    }),
    { stdio: 'inherit', env: devEnv() },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dev.kill(signal));
  dev.on('exit', (code) => process.exit(code ?? 0));

  await waitUntilUp(`http://127.0.0.1:${port}`, dev);
  const publish = spawn('tsx', ['scripts/cli/publish.ts', '--local', '--port', String(port)], {
    stdio: 'inherit',
  });
  const code = await new Promise<number>((resolve) => publish.on('exit', (c) => resolve(c ?? 1)));
  if (code === 0) await untilServed(`http://127.0.0.1:${port}`, token);
  const signIn = await localSignInLink(`http://127.0.0.1:${port}`, token);
  console.log(
    [
      '',
      code === 0
        ? `kvpress: serving http://localhost:${port}`
        : `kvpress: serving http://localhost:${port}, but publishing content/ failed (see above)`,
      'url' in signIn
        ? `  sign in: ${signIn.url}`
        : `  sign in: no local link (${signIn.problem}); LOCAL_SIGN_IN is off in .dev.vars?`,
      `  API token: ${fromDevVars ? 'PUBLISH_TOKEN from .dev.vars' : `made on the first start and kept, in ${SESSION_TOKEN_FILE}`}`,
      `  curl -H "Authorization: Bearer $(${fromDevVars ? "sed -n 's/^PUBLISH_TOKEN=//p' .dev.vars" : `cat ${SESSION_TOKEN_FILE}`})" http://localhost:${port}/api/articles`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
