/**
 * Runs in Node before the worker tests: builds the real content (not hand-written fixtures)
 * and hands its KV entries to setup.ts, which runs inside workerd.
 */
import type { TestProject } from 'vitest/node';
import { buildContent } from '../../scripts/build-content';

export default async function setup(project: TestProject): Promise<void> {
  const build = await buildContent('tests/fixtures/content');
  if (!build.ok) throw new Error(`content build failed:\n${build.errors.join('\n')}`);
  project.provide('kvEntries', build.entries);
}
