/**
 * The bench's load: wrk when it is here (installed with apt-get when it can be), else autocannon
 * for throughput and a Node client for latency; each pinned to its core, away from the server.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The client's core (the server has the other: targets.ts). */
export const CLIENT_CORE = '1';

export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** The status every answer must have (default 200); anything else counts as an error. */
  expect?: number;
}

export interface LoadResult {
  rps: number;
  errors: number;
}

const WRK = '/usr/bin/wrk';
let hasWrk = existsSync(WRK);

/** Which generator the load runs on. */
export const usesWrk = () => hasWrk;

/** wrk if it is here, or can be installed (root, apt-get); says what it does either way. */
export async function chooseGenerator(generator: string): Promise<void> {
  if (generator === 'autocannon') hasWrk = false;
  if (hasWrk || generator === 'autocannon') return;
  const root = process.getuid?.() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    console.log('bench: wrk is not installed; installing it with apt-get (running as root)…');
    try {
      await run('apt-get', ['update', '-qq']);
      await run('apt-get', ['install', '-y', '-qq', 'wrk']);
    } catch (error) {
      console.warn(
        `bench: apt-get could not install wrk: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    hasWrk = existsSync(WRK);
  }
  if (generator === 'wrk' && !hasWrk) throw new Error('wrk is not installed (apt-get install wrk)');
  if (!hasWrk) {
    console.log(
      `bench: wrk ${root ? 'could not be installed' : 'is not installed (install it as root: apt-get install wrk)'}; ` +
        'using autocannon for throughput and a Node client for latency (µs)',
    );
  }
}

/** Answers of another status than the target expects, from counts by status. */
function unexpected(target: Target, counts: Record<string, number>): number {
  const expected = String(target.expect ?? 200);
  return Object.entries(counts).reduce(
    (sum, [status, n]) => sum + (status === expected ? 0 : n),
    0,
  );
}
export const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** wrk's durations (`812.00us`, `1.20ms`, `2.00s`) in milliseconds. */
function ms(text: string): number {
  const match = /([\d.]+)(us|ms|s)/.exec(text);
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

const headerArgs = (headers: Record<string, string>) =>
  Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);

/** wrk script: counts responses by status; prints them, and the first error's body. */
const STATUS_LUA = `
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 400 and not shown then
    shown = true
    print("first-error " .. status .. " " .. string.gsub(string.sub(body, 1, 200), "%s+", " "))
  end
end
function done(summary, latency, requests)
  io.write("statuses")
  for _, t in ipairs(threads) do for k, v in pairs(t:get("statuses")) do io.write(" ", k, "=", v) end end
  print()
end
`;
let statusScript: string | undefined;

async function wrk(target: Target, connections: number, seconds: number, latency = false) {
  if (!statusScript) {
    statusScript = path.join(tmpdir(), `kvpress-bench-status-${process.pid}.lua`);
    await writeFile(statusScript, STATUS_LUA);
  }
  const { stdout } = await run('taskset', [
    '-c',
    CLIENT_CORE,
    'wrk',
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '-s',
    statusScript,
    ...(latency ? ['--latency'] : []),
    ...headerArgs(target.headers),
    target.url,
  ]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 'NaN');
  const statuses = /^statuses(.*)$/m.exec(stdout)?.[1]?.trim() ?? '';
  const counts: Record<string, number> = {};
  for (const pair of statuses.split(/\s+/).filter(Boolean)) {
    const [status = '', n = '0'] = pair.split('=');
    counts[status] = (counts[status] ?? 0) + Number(n);
  }
  const bad = unexpected(target, counts);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  const errors = bad + (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
  if (errors > 0) {
    // Say which kind: which statuses (and the first error body), or which socket errors.
    const first = /^first-error (.*)$/m.exec(stdout)?.[1] ?? '';
    console.warn(
      `bench: ${target.name}: ${bad} not ${target.expect ?? 200} [${statuses}] ${first}; socket ${socket?.slice(1).join('/') ?? '0/0/0/0'} (connect/read/write/timeout)`,
    );
  }
  const p50 = ms(/\s50%\s+(\S+)/.exec(stdout)?.[1] ?? '');
  const p99 = ms(/\s99%\s+(\S+)/.exec(stdout)?.[1] ?? '');
  return { rps, errors, p50, p99 };
}

async function autocannon(target: Target, connections: number, seconds: number) {
  const { stdout } = await run(
    'taskset',
    [
      '-c',
      CLIENT_CORE,
      'npx',
      'autocannon',
      '--json',
      '-c',
      String(connections),
      '-d',
      String(seconds),
      ...Object.entries(target.headers).flatMap(([n, v]) => ['-H', `${n}=${v}`]),
      target.url,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const report = JSON.parse(stdout) as {
    requests: { average: number };
    errors: number;
    statusCodeStats?: Record<string, { count: number }>;
  };
  const counts = Object.fromEntries(
    Object.entries(report.statusCodeStats ?? {}).map(([status, { count }]) => [status, count]),
  );
  const bad = unexpected(target, counts);
  if (bad + report.errors > 0) {
    console.warn(
      `bench: ${target.name}: ${bad} not ${target.expect ?? 200} ${JSON.stringify(counts)}; ${report.errors} socket errors`,
    );
  }
  // autocannon's latencies are whole milliseconds: the latency runs use latencyRun instead.
  return {
    rps: report.requests.average,
    errors: report.errors + bad,
    p50: Number.NaN,
    p99: Number.NaN,
  };
}

/**
 * Latency without wrk: one connection, one request after another from this process for `seconds`,
 * each timed with the high-resolution clock (µs). The client is slower than wrk's C, so these
 * include more client time; they are compared with the baseline measured the same way.
 */
async function latencyRun(target: Target, seconds: number) {
  // A child on the client core (this process shares the server core with workerd).
  const { stdout } = await run('taskset', [
    '-c',
    CLIENT_CORE,
    process.execPath,
    '--input-type=module',
    '-e',
    LATENCY_CLIENT,
    JSON.stringify({ ...target, seconds }),
  ]);
  return JSON.parse(stdout) as { rps: number; errors: number; p50: number; p99: number };
}

const LATENCY_CLIENT = `
const { url, headers, expect = 200, seconds } = JSON.parse(process.argv[1]);
const samples = [];
let errors = 0;
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  const start = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  samples.push(performance.now() - start);
  if (res.status !== expect) errors += 1;
}
samples.sort((a, b) => a - b);
const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
console.log(JSON.stringify({ rps: samples.length / seconds, errors, p50: at(0.5), p99: at(0.99) }));
`;

export const load = (target: Target, connections: number, seconds: number, latency = false) =>
  hasWrk
    ? wrk(target, connections, seconds, latency)
    : latency
      ? latencyRun(target, seconds)
      : autocannon(target, connections, seconds);

/** A worker that returns `page` with the article's headers: workerd's own limit here. */
/**
 * A constant worker under the same Miniflare: the page with one header (the runtime's limit), or
 * with every header kvpress sends (what those headers cost), or after one KV read of the
 * article's record (what Miniflare's KV simulator costs per read).
 */
