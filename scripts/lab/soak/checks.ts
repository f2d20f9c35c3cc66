/** What the soak checks and measures: a body that parses, percentiles, its stack's memory. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Check } from './targets';

const run = promisify(execFile);

/**
 * Resident memory of this soak's own workerd processes (KiB), from /proc: those of the stack's
 * process group, not every workerd on the machine (another stack, a test run).
 */
export async function workerdRssKiB(group: number | undefined): Promise<number> {
  if (group === undefined) return 0;
  const { stdout } = await run('pgrep', ['-g', String(group), '-f', 'workerd']).catch(() => ({
    stdout: '',
  }));
  let total = 0;
  for (const pid of stdout.trim().split('\n').filter(Boolean)) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return total;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function wellFormed(kind: Check['parse'], body: string): boolean {
  switch (kind) {
    case 'html':
      return body.startsWith('<!DOCTYPE html>') && body.trimEnd().endsWith('</html>');
    case 'json':
      try {
        JSON.parse(body);
        return true;
      } catch {
        return false;
      }
    case 'markdown':
      return body.startsWith('# ');
    case 'xml':
      return body.startsWith('<?xml') && body.trimEnd().endsWith('</feed>');
    default:
      return true;
  }
}
