/**
 * The local stack as npm start and the soak run it (`wrangler dev` with both Workers and
 * scripts/lib/dev-env.ts): a client that stalls a request body the Worker refuses without reading
 * gets its answer at once, and the isolate keeps serving from memory. Under wrangler dev's default
 * body draining, the answer waits for the body that never comes.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startDevStack } from '../../scripts/lib/dev-env';

const TOKEN = 'stalled-body-test-token-0123456789-abcdef';

/** Writes the head of a POST with a 1 MB body and 10 bytes of it, then waits: the first line back. */
function stalledPost(port: number, target: string, waitMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n0123456789`,
      );
    });
    let received = '';
    const done = (line: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(line);
    };
    const timer = setTimeout(() => done(undefined), waitMs);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) done(received.slice(0, received.indexOf('\r\n')));
    });
    socket.on('error', () => done(undefined));
  });
}

describe('wrangler dev as npm start runs it', () => {
  let dev: ChildProcess;
  let state: string;
  let base: string;
  let port: number;

  beforeAll(async () => {
    state = await mkdtemp(path.join(tmpdir(), 'kvpress-stall-'));
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dev = await startDevStack({ port, state, env: { PUBLISH_TOKEN: TOKEN } });
  }, 90_000);

  afterAll(async () => {
    if (dev?.pid) process.kill(-dev.pid, 'SIGTERM');
    await rm(state, { recursive: true, force: true });
  });

  it('answers a refused POST at once while its body stalls, and the isolate keeps its memory', async () => {
    await (await fetch(`${base}/robots.txt`)).arrayBuffer();
    const warm = await fetch(`${base}/robots.txt`);
    await warm.arrayBuffer();
    expect(warm.headers.get('Cache-Status')).toBe('kvpress; hit; detail=memory');

    // The reader refuses POST / without reading the body (405); the API refuses a bad token (401).
    expect(await stalledPost(port, '/', 5_000)).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(await stalledPost(port, '/api/articles/x', 5_000)).toBe('HTTP/1.1 401 Unauthorized');

    const after = await fetch(`${base}/robots.txt`);
    await after.arrayBuffer();
    expect(after.status).toBe(200);
    expect(after.headers.get('Cache-Status')).toBe('kvpress; hit; detail=memory');
  }, 60_000);
});
