/**
 * The rules the one writer keeps: no lost update (concurrent and interleaved writes give a
 * serial history), KV written in an order no reader can observe half of and retried by the
 * alarm until it matches, the pointer written at most once a second, and a publish that costs
 * what it changes, not what the site holds (bounded storage: bounded-storage.test.ts).
 */

import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { VERSION_KEY } from '../../src/articles/keys';
import { testApp } from '../support/app';
import { buildRecords, variantOf } from '../support/publish';
import {
  apiPut,
  BOOTSTRAP,
  changeObjectEnv,
  publishedSlugs,
  recordingKv,
  seedSite,
  siteObject,
  variantRecord,
} from '../support/publisher';

/** Runs the object's alarm until nothing is left for it (projection retries, garbage). */
async function drainAlarms(): Promise<void> {
  for (let i = 0; i < 10 && (await runDurableObjectAlarm(siteObject())); i++);
}

beforeAll(() => seedSite());

describe('no lost update, by construction', () => {
  it('gives exactly one 2xx to 12 concurrent PUTs with the same If-Match through separate readers', async () => {
    const first = await apiPut(testApp(), 'contended', variantOf('contended', 'Start.'));
    const tag = ((await first.json()) as { etag: string }).etag;
    const readers = Array.from({ length: 12 }, () => testApp({ VERSION_MAX_AGE_MS: '0' }));
    const statuses = await Promise.all(
      readers.map((app, i) =>
        apiPut(app, 'contended', variantOf('contended', `Editor ${i}.`), { 'If-Match': tag }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(11);
  });

  it('gives exactly one success to 12 concurrent writes sent directly to the object', async () => {
    const site = siteObject();
    const start = await site.put(BOOTSTRAP, await variantRecord('direct', 'Start.'), 'api');
    if (!start.ok || !start.hash) throw new Error('no start');
    const records = await Promise.all(
      Array.from({ length: 12 }, (_, i) => variantRecord('direct', `Writer ${i}.`)),
    );
    const results = await Promise.all(
      records.map((r) => site.put(BOOTSTRAP, r, 'api', { ifMatch: `"${start.hash}"` })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.status === 412)).toHaveLength(11);
  });

  it('turns randomly interleaved PUTs and DELETEs from 6 clients into a serial history', async () => {
    const site = siteObject();
    const slug = 'interleaved';
    // Each acknowledged write: the state it required and the state it left (null: not published).
    const acks: { required: string | null; left: string | null }[] = [];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let n = 0;
    const client = async () => {
      for (let step = 0; step < 8; step++) {
        const seen = (await site.get(slug))?.published?.hash ?? null;
        if (seen && random() < 0.3) {
          const result = await site.remove(BOOTSTRAP, slug, 'api', { ifMatch: `"${seen}"` });
          if (result.ok) acks.push({ required: seen, left: null });
          // Another client changed or retracted it first.
          else expect([404, 412]).toContain(result.status);
        } else {
          const r = await variantRecord(slug, `Write ${n++}.`);
          const conditions = seen ? { ifMatch: `"${seen}"` } : { ifNoneMatch: '*' };
          const result = await site.put(BOOTSTRAP, r, 'api', conditions);
          if (result.ok) acks.push({ required: seen, left: r.hash });
          else expect(result.status).toBe(412);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, client));
    // Replay: from "not published", each state must be required by exactly one acknowledged
    // write, and every acknowledged write must be used: a chain, i.e. a serial history.
    let state: string | null = null;
    const left = [...acks];
    while (left.length > 0) {
      const next = left.findIndex((a) => a.required === state);
      expect(next, `an acknowledged write required ${state}`).toBeGreaterThanOrEqual(0);
      state = left.splice(next, 1)[0]?.left ?? null;
    }
    expect(acks.length).toBeGreaterThan(6);
    expect((await site.get(slug))?.published?.hash ?? null).toBe(state);
    // No unacknowledged write left a trace: every kept revision is an acknowledged one.
    const acknowledged = new Set(acks.map((a) => a.left));
    for (const revision of await site.revisions(slug))
      expect(acknowledged.has(revision.hash)).toBe(true);
  });
});

describe('KV projection', () => {
  it('answers after the commit when KV fails mid-way, keeps readers on the previous version whole, and completes on the alarm', async () => {
    const app = testApp({ VERSION_MAX_AGE_MS: '0' });
    const before = await publishedSlugs();
    // The failure is logged for the operator, once, naming the key.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failing = recordingKv(env.ARTICLES, { failAfter: 1 });
    const restore = await changeObjectEnv((e) => ({ ...e, ARTICLES: failing.kv }));
    const res = await apiPut(app, 'half-written', variantOf('half-written', 'Arrives late.'));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { projection: { complete: boolean; lastError?: string } };
    expect(body.projection.complete).toBe(false);
    expect(body.projection.lastError).toMatch(/injected/);
    expect(failing.puts.length).toBe(1);
    // The pointer did not move: readers see the previous version, every record of it present.
    expect(await publishedSlugs()).toEqual(before);
    expect((await app.fetch('/articles/half-written')).status).toBe(404);
    expect(logged.mock.calls.map(([message]) => String(message))).toEqual([
      expect.stringMatching(
        /^projection to KV failed \(attempt 1\): KV put of v1:\S+ failed \(injected\)/,
      ),
    ]);
    logged.mockRestore();

    await restore();
    await drainAlarms();
    expect((await siteObject().projection()).complete).toBe(true);
    expect(await publishedSlugs()).toContain('half-written');
    expect((await app.fetch('/articles/half-written')).status).toBe(200);
  });

  it('writes content, then the head, then the pointer, and the pointer at most once a second', async () => {
    const recording = recordingKv(env.ARTICLES);
    const restore = await changeObjectEnv((e) => ({
      ...e,
      ARTICLES: recording.kv,
      POINTER_INTERVAL_MS: '1000',
    }));
    try {
      const site = siteObject();
      // Leave a second since the last pointer write, so the first of three writes moves it.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const results = [];
      for (let i = 0; i < 3; i++)
        results.push(
          await site.put(BOOTSTRAP, await variantRecord(`burst-${i}`, `Burst ${i}.`), 'api'),
        );
      const order = recording.puts.map((k) =>
        k === VERSION_KEY ? 'pointer' : k.startsWith('v1:index:') ? 'head' : 'content',
      );
      expect(order.slice(0, 4)).toEqual(['content', 'content', 'head', 'pointer']);
      expect(order.filter((o) => o === 'pointer')).toHaveLength(1);
      const last = results.at(-1);
      expect(last?.ok && last.projection.complete).toBe(false);
      // The alarm writes the newest version when the second is up: one more pointer write.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await drainAlarms();
      expect(recording.puts.filter((k) => k === VERSION_KEY)).toHaveLength(2);
      const pointer = JSON.parse((await env.ARTICLES.get(VERSION_KEY)) ?? '{}') as {
        version: string;
      };
      expect(last?.ok && pointer.version).toBe(last?.ok && last.version);
    } finally {
      await restore();
    }
  });
});

describe('a publish costs what it changes', () => {
  it('writes the same few keys for a new article and for an edit, in a site of 2,500 articles', async () => {
    const files = Array.from({ length: 2500 }, (_, i) => {
      const day = new Date(Date.UTC(2001, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      return {
        path: `content/gen-${i}.md`,
        source: `---\ntitle: Generated ${i}\nslug: gen-${i}\ndescription: Article ${i}.\ndatePublished: ${day}\n---\n\nBody ${i}.\n`,
      };
    });
    await seedSite(files);
    const recording = recordingKv(env.ARTICLES);
    const restore = await changeObjectEnv((e) => ({ ...e, ARTICLES: recording.kv }));
    try {
      const site = siteObject();
      await site.put(BOOTSTRAP, await variantRecord('brand-new', 'News.'), 'api');
      const newArticle = recording.puts.splice(0);
      const [old] = await buildRecords([
        files[10]?.source.replace('Body 10.', 'Body 10, corrected.') ?? '',
      ]);
      if (!old) throw new Error('no record');
      await site.put(BOOTSTRAP, old, 'api');
      const edit = recording.puts.splice(0);
      // The record, one index chunk, the head, the pointer: not one key per 1,000 articles.
      expect(newArticle).toHaveLength(4);
      expect(edit).toHaveLength(4);
      const slugs = await publishedSlugs();
      expect(slugs).toEqual(expect.arrayContaining(['brand-new', 'gen-10', 'gen-2499']));
      expect(slugs.length).toBeGreaterThanOrEqual(2502);
    } finally {
      await restore();
    }
  }, 120_000);
});
