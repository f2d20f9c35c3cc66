/**
 * How the CLI reaches the publisher: it is a client of the publishing API like any other, so
 * one code path publishes whatever the client. Three ways to reach it:
 * - a running local stack (`npm start`, `wrangler dev`): its /api, with PUBLISH_TOKEN from the
 *   environment, else .dev.vars's, else the one `npm start` made for its session;
 * - no stack running: the publisher Worker started in this process (wrangler's startWorker) on
 *   the same persisted state `wrangler dev` uses, with a token made for this run;
 * - the deployed site: `<SITE_URL>/api` with PUBLISH_TOKEN from the environment.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { claimState, describeOwner, stateOwner } from './state-owner';

/** Where `npm start` leaves the token of its session (git-ignored, beside the local state). */
export const SESSION_TOKEN_FILE = '.wrangler/kvpress-session-token';

export interface Publisher {
  /** Where this is, for messages: `local stack at http://…`, `remote …`. */
  name: string;
  /** A request to the publishing API, authenticated. */
  api(pathAndQuery: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** A fresh token: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** PUBLISH_TOKEN from `.dev.vars` (what `wrangler dev` gives the publisher), if set. */
export function devVarsToken(dir = '.'): string | undefined {
  const file = path.join(dir, '.dev.vars');
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => /^\s*PUBLISH_TOKEN\s*=/.test(l));
  const value = line?.replace(/^\s*PUBLISH_TOKEN\s*=\s*/, '').trim();
  return value ? value.replace(/^(["'])(.*)\1$/, '$2') : undefined;
}

export async function saveSessionToken(token: string): Promise<void> {
  await mkdir(path.dirname(SESSION_TOKEN_FILE), { recursive: true });
  await writeFile(SESSION_TOKEN_FILE, `${token}\n`, { mode: 0o600 });
}

export function sessionToken(): string | undefined {
  return existsSync(SESSION_TOKEN_FILE)
    ? readFileSync(SESSION_TOKEN_FILE, 'utf8').trim() || undefined
    : undefined;
}

function over(name: string, origin: string, token: string, close = async () => {}): Publisher {
  return {
    name,
    api: (pathAndQuery, init = {}) =>
      fetch(origin + pathAndQuery, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` },
      }),
    close,
  };
}

/** True when something answers `OPTIONS /` at `origin` (a kvpress reader does, with 204). */
export async function isRunning(origin: string): Promise<boolean> {
  try {
    // OPTIONS reads nothing, so the reader's memo of the published version stays as it was.
    const res = await fetch(`${origin}/`, { method: 'OPTIONS', signal: AbortSignal.timeout(1500) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** The state folder a local publisher runs on: wrangler's default, or `persistTo`. */
export const LOCAL_STATE = '.wrangler/state';

/**
 * The local publisher. The one that runs on the state already, whatever its port (its owner
 * file says where: state-owner.ts); else a stack answering on `port`, when one was named; else
 * one started here for this run, which holds the state until it closes. A state held by a
 * process that does not answer is refused, saying what runs there.
 */
export async function localPublisher(
  port: number | undefined,
  persistTo?: string,
): Promise<Publisher> {
  const state = persistTo ?? LOCAL_STATE;
  const runningToken = process.env.PUBLISH_TOKEN || devVarsToken() || sessionToken();
  const owner = stateOwner(state);
  if (owner) {
    if (owner.origin && runningToken && (await isRunning(owner.origin))) {
      return over(`local stack at ${owner.origin}`, owner.origin, runningToken);
    }
    throw new Error(
      `${describeOwner(state, owner)}, but it cannot be reached from here${
        runningToken ? '' : ' (no token: set PUBLISH_TOKEN)'
      }. Stop it, or publish through it.`,
    );
  }
  if (!persistTo && port !== undefined) {
    const origin = `http://127.0.0.1:${port}`;
    if (runningToken && (await isRunning(origin))) {
      return over(`local stack at ${origin}`, origin, runningToken);
    }
  }
  const release = await claimState(state, 'npm run publish');
  // wrangler gives the publisher .dev.vars's PUBLISH_TOKEN when there is one: use that one then.
  const token = devVarsToken() ?? newToken();
  // wrangler's own chatter (bindings table, offline Request.cf warnings) is not this command's.
  process.env.WRANGLER_LOG ??= 'error';
  const { unstable_startWorker } = await import('wrangler');
  const worker = await unstable_startWorker({
    config: 'wrangler.publisher.toml',
    bindings: { PUBLISH_TOKEN: { type: 'plain_text', value: token } },
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      watch: false,
      persist: state,
    },
  });
  await worker.ready;
  const url = await worker.url;
  return over('local state', url.origin, token, async () => {
    await worker.dispose();
    await release();
  });
}

/** The deployed publisher, through the site's /api (the reader forwards it). */
export function remotePublisher(siteUrl: string, token: string | undefined): Publisher {
  if (!siteUrl)
    throw new Error('--remote needs the site URL: set SITE_URL in wrangler.toml or pass --url');
  if (!token)
    throw new Error('--remote needs PUBLISH_TOKEN in the environment (the deployed secret)');
  return over(`remote ${siteUrl}`, siteUrl.replace(/\/$/, ''), token);
}
