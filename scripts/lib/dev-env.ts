import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { claimState } from './state-owner';

/** A TCP port free on loopback right now (for a stack or a peer a test starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(),
      );
    });
  });
}

/**
 * The environment every `wrangler dev` this project starts runs with (npm start, the soak, the
 * tests that start the local stack):
 * - no metrics, no request.cf fetch (Miniflare fetches workers.cloudflare.com/cf.json, and
 *   offline printed two ENOTFOUND stack traces at every start), no update check in the banner:
 *   a local stack reaches no network;
 * - no request-body draining: wrangler dev wraps the Worker in a middleware that reads every
 *   unread request body to its end before the answer is sent, so a client that stalls a body
 *   (a POST that is refused without being read: a 405, a 401, a 413) holds its answer, and the
 *   isolate with it, until the client gives up. Deployed Workers do not do this.
 */
export function devEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    WRANGLER_DISABLE_REQUEST_BODY_DRAINING: 'true',
    ...extra,
  };
}

/**
 * A dotenv file of `vars` for `wrangler dev --env-file`: the one way to give both Workers of a
 * multi-config `wrangler dev` the same settings (`--var` reaches only the first). With it,
 * wrangler reads no .dev.vars, so a user's own never changes what a test runs with.
 */
export async function writeEnvFile(file: string, vars: Record<string, string>): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const lines = Object.entries(vars).map(([key, value]) => {
    if (value.includes("'")) throw new Error(`${key}: a value with ' cannot go in an env file`);
    return `${key}='${value}'`;
  });
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

/**
 * The publisher's optional secrets. Listed in `[secrets] required` they would fail a deploy that
 * has none; a local stack's config copy lists those that are set (see isolatedConfigs).
 */
export const OPTIONAL_SECRETS = ['WEBHOOKS'] as const;

/** The optional secrets among `names` (the settings a local stack is given). */
export const optionalSecretsIn = (names: Iterable<string>): string[] => {
  const given = new Set(names);
  return OPTIONAL_SECRETS.filter((name) => given.has(name));
};

/**
 * The two wrangler configs, copied into `dir` with their paths made absolute. wrangler reads a
 * `.dev.vars` beside the config, and a multi-config `wrangler dev` gives its second Worker (the
 * publisher) no `--env-file`: from a folder of their own, a developer's `.dev.vars` never
 * reaches a stack a script or a test starts, and the publisher takes its settings from the
 * environment (its required secrets and its [vars]).
 */
export async function isolatedConfigs(
  dir: string,
  optionalSecrets: readonly string[] = [],
): Promise<[string, string]> {
  await mkdir(dir, { recursive: true });
  const root = process.cwd();
  // wrangler checks the publisher's assets folder before its [build] (which fills it) runs.
  await mkdir(path.join(root, 'build', 'admin'), { recursive: true });
  const files: string[] = [];
  // Absolute paths: wrangler resolves `main` and `watch_dir` from the config's folder but the
  // build's `cwd` from its own working directory.
  const from = (target: string) => path.join(root, target);
  for (const name of ['wrangler.toml', 'wrangler.publisher.toml']) {
    const text = (await readFile(name, 'utf8'))
      // esbuild finds the project's tsconfig.json from the sources themselves.
      .replace(/^main = "(.*)"$/m, (_, main: string) => `main = "${from(main)}"`)
      .replace(
        /^watch_dir = "(.*)"$/m,
        (_, watch: string) => `watch_dir = "${from(watch)}"\ncwd = "${from('.')}"`,
      )
      .replace(/^directory = "(.*)"$/m, (_, assets: string) => `directory = "${from(assets)}"`);
    // `wrangler dev` loads only the secrets `[secrets] required` lists: the optional ones that
    // are set join the list in the copy (in the real config they would fail a deploy without).
    const withSecrets = text.replace(
      /^required = \[(.*)\]$/m,
      (_, names: string) =>
        `required = [${[names, ...optionalSecrets.map((n) => JSON.stringify(n))].filter(Boolean).join(', ')}]`,
    );
    const file = path.join(dir, name);
    await writeFile(file, withSecrets);
    files.push(file);
  }
  return [files[0] ?? '', files[1] ?? ''];
}

/** `wrangler dev`'s arguments for the two Workers on one state: what npm start and a test's stack run. */
export function wranglerDevArgs(options: {
  configs: [string, string];
  state: string;
  port: number;
  envFiles: readonly string[];
  extra?: readonly string[];
}): string[] {
  const [reader, publisher] = options.configs;
  return [
    'dev',
    '-c',
    reader,
    '-c',
    publisher,
    '--port',
    String(options.port),
    '--persist-to',
    options.state,
    ...options.envFiles.flatMap((file) => ['--env-file', file]),
    ...(options.extra ?? []),
  ];
}

/**
 * Starts the local stack (both Workers, one `wrangler dev`) on `port` with its state in `state`,
 * in its own process group (kill `-pid` to stop it and its workerd), and waits until it answers.
 * `vars` and `env` reach both Workers (an env file for the reader, the environment for the
 * publisher), and nothing from a `.dev.vars` does.
 */
export async function startDevStack(options: {
  port: number;
  state: string;
  vars?: Record<string, string>;
  env?: Record<string, string>;
  /** Collects every line the stack prints (wrangler's request log included) when given. */
  output?: string[];
}): Promise<ChildProcess> {
  const settings = { ...options.vars, ...options.env };
  // The test's stack holds its state, as npm start holds .wrangler/state (state-owner.ts).
  await claimState(options.state, 'a test stack', `http://127.0.0.1:${options.port}`);
  const envFile = await writeEnvFile(path.join(options.state, 'dev.env'), settings);
  const [reader, publisher] = await isolatedConfigs(
    path.join(options.state, 'config'),
    optionalSecretsIn(Object.keys(settings)),
  );
  const dev = spawn(
    'npx',
    [
      'wrangler',
      ...wranglerDevArgs({
        configs: [reader, publisher],
        state: options.state,
        port: options.port,
        envFiles: [envFile],
        extra: ['--ip', '127.0.0.1', '--log-level', options.output ? 'info' : 'error'],
      }),
    ],
    { env: devEnv(settings), stdio: options.output ? 'pipe' : 'ignore', detached: true },
  );
  const output = options.output;
  if (output) {
    for (const stream of [dev.stdout, dev.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => output.push(...chunk.split('\n')));
    }
  }
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${options.port}/robots.txt`)).ok) return dev;
    } catch {
      // not up yet
    }
    if (i > 120) {
      if (dev.pid) process.kill(-dev.pid, 'SIGKILL');
      throw new Error('wrangler dev did not start within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
