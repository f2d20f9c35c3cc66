import { env } from 'cloudflare:workers';
import { beforeAll, inject } from 'vitest';

// Written the way `npm run kv:load` writes them: records, then the index.
beforeAll(async () => {
  for (const { key, value } of inject('kvEntries')) await env.ARTICLES.put(key, value);
});
