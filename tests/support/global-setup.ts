/**
 * Runs in Node before the worker tests: writes the render version, builds the real content
 * and hands its KV entries to setup.ts, which runs inside workerd, and starts a webhook receiver.
 */
import type { TestProject } from 'vitest/node';
import { buildContent } from '../../scripts/cli/build-content';
import { writeRenderVersion } from '../../scripts/cli/render-version';
import { startAccessKeys } from './access-keys';
import { startReceiver } from './webhook-receiver';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The render version and the stylesheet's CSP hash, from the sources as they are now (generated
  // at build time, never committed), before any worker module is loaded: the tests run what a
  // build would ship.
  await writeRenderVersion();
  const build = await buildContent('tests/fixtures/content');
  if (!build.ok) throw new Error(`content build failed:\n${build.errors.join('\n')}`);
  project.provide('kvEntries', build.entries);
  // A real webhook subscriber for the publisher's deliveries (webhooks.test.ts).
  const receiver = await startReceiver();
  project.provide('webhookReceiver', `http://127.0.0.1:${receiver.port}`);
  // The Access team's keys, where vitest.config.ts pointed ACCESS_CERTS_URL.
  const access = await startAccessKeys(Number(process.env.KVPRESS_TEST_ACCESS_PORT));
  project.provide('accessPrivateJwk', access.privateJwk);
  return async () => {
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
    await new Promise<void>((resolve) => access.server.close(() => resolve()));
  };
}
