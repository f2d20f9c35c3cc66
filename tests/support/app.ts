/**
 * A fresh app per test (its own memory tier and version memo), driven like the runtime
 * drives it: with an ExecutionContext whose waitUntil work the test can wait for.
 */

import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { BodyStore } from '../../src/reader/cache/body-store';
import { type AppDependencies, createApp } from '../../src/reader/index';

export interface TestApp {
  /** Fetches `path` on `origin`; waits for background cache writes before returning. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The app's cache, once a request has made it. */
  bodyStore(): BodyStore | undefined;
}

let hosts = 0;

/** A unique origin, so the Cache API (shared within a test file) never mixes tests. */
export function uniqueOrigin(): string {
  hosts += 1;
  return `http://t${hosts}-${Date.now()}.kvpress.test`;
}

export function testApp(
  vars: Record<string, string> = {},
  dependencies: AppDependencies = {},
  origin = uniqueOrigin(),
  bindings: Partial<Env> = {},
): TestApp {
  const app = createApp(dependencies);
  const appEnv = { ...env, ...bindings, ...vars } as Env;
  return {
    async fetch(path, init = {}) {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(origin + path, init), appEnv, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    },
    bodyStore: () => app.bodyStore(),
  };
}
