/**
 * npm start: the local stack on PORT (default 8787), then content/ published through it.
 *
 * One `wrangler dev` runs both Workers: the reader first (it serves PORT), the publisher beside
 * it (reached over the reader's service binding, with its Durable Object). State persists in
 * .wrangler/state, so a restart keeps what was published through the API; the file sync that
 * follows never retracts or overwrites it (see scripts/publish.ts).
 *
 * The API token: PUBLISH_TOKEN from .dev.vars when set, else one made for this session and
 * saved to .wrangler/kvpress-session-token (the CLI and your curl read it there).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { MIN_TOKEN_LENGTH } from '../src/publisher/api-types';
import { devEnv } from './lib/dev-env';
import {
  devVarsToken,
  isRunning,
  newToken,
  SESSION_TOKEN_FILE,
  saveSessionToken,
} from './lib/publisher-client';

const port = Number(process.env.PORT ?? '8787');

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

async function main(): Promise<void> {
  const fromDevVars = devVarsToken();
  if (fromDevVars !== undefined && fromDevVars.length < MIN_TOKEN_LENGTH) {
    fail(
      `PUBLISH_TOKEN in .dev.vars is ${fromDevVars.length} characters; the publisher refuses tokens shorter than ${MIN_TOKEN_LENGTH}. Make one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`,
    );
  }
  const token = fromDevVars ?? newToken();
  if (!fromDevVars) await saveSessionToken(token);

  const dev = spawn(
    'wrangler',
    ['dev', '-c', 'wrangler.toml', '-c', 'wrangler.publisher.toml', '--port', String(port)],
    {
      stdio: 'inherit',
      // Without .dev.vars, wrangler takes the publisher's required secret from the environment.
      env: devEnv(fromDevVars ? {} : { PUBLISH_TOKEN: token }),
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dev.kill(signal));
  dev.on('exit', (code) => process.exit(code ?? 0));

  await waitUntilUp(`http://127.0.0.1:${port}`, dev);
  const publish = spawn('tsx', ['scripts/publish.ts', '--local', '--port', String(port)], {
    stdio: 'inherit',
  });
  const code = await new Promise<number>((resolve) => publish.on('exit', (c) => resolve(c ?? 1)));
  console.log(
    [
      '',
      code === 0
        ? `kvpress: serving http://localhost:${port}`
        : `kvpress: serving http://localhost:${port}, but publishing content/ failed (see above)`,
      `  API token: ${fromDevVars ? 'PUBLISH_TOKEN from .dev.vars' : `made for this session, in ${SESSION_TOKEN_FILE}`}`,
      `  curl -H "Authorization: Bearer $(${fromDevVars ? "sed -n 's/^PUBLISH_TOKEN=//p' .dev.vars" : `cat ${SESSION_TOKEN_FILE}`})" http://localhost:${port}/api/articles`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
