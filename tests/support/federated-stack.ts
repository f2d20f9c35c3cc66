/**
 * The local stack with federation on, for the tests that talk ActivityPub to it: its own state
 * folder and actor keys, SITE_URL its own origin, loopback peers allowed (the documented
 * switch), retries after 0.5 s. Stop it with `stop()`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeActorKeys } from '../../scripts/lib/actor-keys';
import { freePort, startDevStack } from '../../scripts/lib/dev-env';

export interface FederatedStack {
  base: string;
  port: number;
  /** The stack's process group (wrangler and its workerd). */
  pid: number | undefined;
  stop(): Promise<void>;
}

export async function startFederatedStack(options: {
  token: string;
  /** Collects every line the stack prints. */
  output?: string[];
  /** Runs once the port is known, before the stack starts (a peer mapping https to it). */
  beforeStart?: (port: number) => void | Promise<void>;
}): Promise<FederatedStack> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await options.beforeStart?.(port);
  const keys = await makeActorKeys();
  const state = await mkdtemp(path.join(tmpdir(), 'kvpress-federated-'));
  const dev = await startDevStack({
    port,
    state,
    vars: {
      SITE_URL: base,
      ACTIVITYPUB_PUBLIC_KEYS: keys.public,
      ACTIVITYPUB_PRIVATE_KEYS: keys.private,
      ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS: 'true',
      WEBHOOK_RETRY_MS: '500',
    },
    env: { PUBLISH_TOKEN: options.token },
    ...(options.output ? { output: options.output } : {}),
  });
  return {
    base,
    port,
    pid: dev.pid,
    stop: async () => {
      if (dev.pid) process.kill(-dev.pid, 'SIGTERM');
      await rm(state, { recursive: true, force: true });
    },
  };
}
