/**
 * One owner of a local state folder (.wrangler/state): whatever runs a publisher on it (npm start,
 * the CLI's own publisher) writes `kvpress-owner.json` there, with its process and the origin it
 * answers on, and removes it when it stops. A Durable Object exists so that there is one writer:
 * two publishers on one state (a second in-process publisher beside a running npm start) lose
 * each other's alarms, and a scheduled article then never goes out. So the CLI finds the running
 * stack whatever its port, and a second owner is refused with what runs there and how to reach it.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const OWNER_FILE = 'kvpress-owner.json';

export interface StateOwner {
  pid: number;
  /** What runs there: `npm start`, `npm run publish`. */
  command: string;
  /** Where its publisher answers (the stack's origin), if it serves one. */
  origin?: string;
  since: string;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The live owner of `state`, if any (a file left by a process that is gone is no owner). */
export function stateOwner(state: string): StateOwner | undefined {
  const file = path.join(state, OWNER_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as StateOwner;
    if (typeof owner.pid !== 'number' || owner.pid === process.pid) return undefined;
    return alive(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Says who holds `state` and how to reach it, for a refusal. */
export function describeOwner(state: string, owner: StateOwner): string {
  return `${owner.command} (process ${owner.pid}, since ${owner.since}) runs the publisher on ${state}${
    owner.origin ? ` and answers at ${owner.origin}` : ''
  }`;
}

/**
 * Takes `state` for this process, or throws naming its owner. Returns the release (also done on
 * exit and on SIGINT/SIGTERM).
 */
export async function claimState(
  state: string,
  command: string,
  origin?: string,
): Promise<() => Promise<void>> {
  const owner = stateOwner(state);
  if (owner) throw new Error(`${describeOwner(state, owner)}: stop it first, or use it.`);
  await mkdir(state, { recursive: true });
  const file = path.join(state, OWNER_FILE);
  const mine: StateOwner = {
    pid: process.pid,
    command,
    ...(origin ? { origin } : {}),
    since: new Date().toISOString(),
  };
  await writeFile(file, `${JSON.stringify(mine)}\n`);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await rm(file, { force: true });
  };
  process.once('exit', () => {
    if (!released) rmSync(file, { force: true });
  });
  return release;
}
