/**
 * Storage is bounded: superseded immutable keys are collected once their grace is over, and the
 * object keeps a bounded number of revisions. In a file of its own: its storage starts empty, so
 * no other test's keys are still in their grace period.
 */

import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { articleKey, indexKey, indexPageKey, VERSION_KEY } from '../../src/articles/keys';
import {
  allKeys,
  BOOTSTRAP,
  changeObjectEnv,
  publishedSlugs,
  seedSite,
  siteObject,
  variantRecord,
} from '../support/publisher';

beforeAll(() => seedSite());

describe('bounded storage', () => {
  it('after 1,000 publishes of one article holds only what the current version needs', async () => {
    const restore = await changeObjectEnv((e) => ({ ...e, GC_GRACE_SECONDS: '0' }));
    try {
      const site = siteObject();
      for (let i = 0; i < 1000; i++) {
        const result = await site.put(
          BOOTSTRAP,
          await variantRecord('busy', `Revision ${i}.`),
          'api',
        );
        expect(result.ok).toBe(true);
      }
      for (let i = 0; i < 10 && (await runDurableObjectAlarm(siteObject())); i++);
      const pointer = JSON.parse((await env.ARTICLES.get(VERSION_KEY)) ?? '{}') as {
        version: string;
      };
      const head = JSON.parse((await env.ARTICLES.get(indexKey(pointer.version))) ?? '{}') as {
        pages: string[];
      };
      const slugs = await publishedSlugs();
      const needed = new Set([
        VERSION_KEY,
        indexKey(pointer.version),
        ...head.pages.map(indexPageKey),
      ]);
      for (const slug of slugs) {
        const state = await site.get(slug);
        if (state?.published) needed.add(articleKey(slug, state.published.hash));
      }
      const keys = await allKeys();
      expect(
        keys.filter((k) => !needed.has(k)).map((k) => k.replace(/[0-9a-f]{32}$/, '#')),
      ).toEqual([]);
      expect(keys.filter((k) => k.startsWith('v1:article:busy:'))).toHaveLength(1);
      // The object keeps 20 revisions for rollback, not 1,000.
      expect(await site.revisions('busy')).toHaveLength(20);
    } finally {
      await restore();
    }
  }, 120_000);
});
