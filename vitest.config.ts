import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' } })],
        test: {
          name: 'worker',
          include: ['tests/worker/**/*.test.{ts,tsx}'],
          // Node side: builds the real content once; setup.ts (inside workerd) loads it into KV.
          globalSetup: ['tests/worker/global-setup.ts'],
          setupFiles: ['tests/worker/setup.ts'],
        },
      },
      {
        test: {
          name: 'scripts',
          include: ['tests/scripts/**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
