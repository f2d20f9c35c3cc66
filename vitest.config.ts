import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { freePort } from './scripts/lib/dev-env';
import { ACCESS_AUD, ACCESS_TEAM } from './tests/support/access-keys';

// The test Access team's keys are served here by global-setup.ts (a binding needs the port now).
process.env.KVPRESS_TEST_ACCESS_PORT ??= String(await freePort());

export default defineConfig({
  test: {
    // A dot per test: a passing run is a few lines; a failing one prints each failure in full.
    reporters: ['dot'],
    projects: [
      {
        plugins: [
          cloudflareTest({
            // The reader's config, with the publisher beside it in the same Worker (see
            // tests/support/worker.ts): its Durable Object and the service binding to it.
            wrangler: { configPath: './wrangler.toml' },
            main: './tests/support/worker.ts',
            miniflare: {
              durableObjects: { SITE: { className: 'SiteWriter', useSQLite: true } },
              serviceBindings: { PUBLISHER: { name: 'kvpress', entrypoint: 'Publisher' } },
              bindings: {
                GC_GRACE_SECONDS: '3600',
                POINTER_INTERVAL_MS: '0',
                // Deliveries at once: these tests drive the alarm themselves.
                ANNOUNCE_AFTER_MS: '0',
                PUBLISH_TOKEN: 'test-token-0123456789-0123456789-abcdef',
                // Cloudflare Access, with a test team whose keys global-setup.ts serves.
                ACCESS_TEAM_DOMAIN: ACCESS_TEAM,
                ACCESS_AUD,
                ACCESS_CERTS_URL: `http://127.0.0.1:${process.env.KVPRESS_TEST_ACCESS_PORT}/cdn-cgi/access/certs`,
                // The people API's local sign-in link route (off in a deploy; the e2e test uses it).
                LOCAL_SIGN_IN: 'true',
              },
            },
          }),
        ],
        test: {
          name: 'worker',
          include: ['tests/{reader,publisher,http,editing}/**/*.test.{ts,tsx}'],
          // Correctness, not speed, is asserted here (speed is the bench's): on a 2-core machine a
          // first request can wait seconds while the scripts project bundles and starts its local
          // stacks (wrangler dev, the publisher with Fedify) beside it.
          testTimeout: 20_000,
          // Node side: builds the real content once; setup.ts (inside workerd) loads it into KV.
          globalSetup: ['tests/support/global-setup.ts'],
          setupFiles: ['tests/support/setup.ts'],
        },
      },
      {
        test: {
          name: 'scripts',
          include: ['tests/scripts/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
