/**
 * The freshness bound (issue 25): where a reader learns the current version, how old that may
 * be, and that it never goes back. Unit tests inject time and sources; the last two run the
 * real publisher and its object against a reader whose KV pointer lags like a remote location's.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { VERSION_KEY } from '../../src/articles/keys';
import type { ArticleIndex } from '../../src/articles/schema';
import { type ArticleStore, createKvStore } from '../../src/articles/store';
import { Freshness } from '../../src/reader/freshness';
import type { VersionSources } from '../../src/reader/version-source';
import { testApp } from '../support/app';
import { variantOf } from '../support/publish';
import { apiPut, seedSite } from '../support/publisher';

const HASH = (n: number) => n.toString(16).padStart(8, '0').repeat(4);
const timing = { refreshMs: 500, maxAgeMs: 2_000 };

/** Sources whose publisher answers what `current` says, counting its calls. */
function fakeSources(current: { version: number; seq: number } | 'down') {
  const state = { current, calls: 0, kvPointer: { version: HASH(1), seq: 1 } };
  const background: Promise<unknown>[] = [];
  const store: ArticleStore = {
    readVersion: async () => state.kvPointer,
    readIndex: async (hash): Promise<ArticleIndex> => ({ hash, articles: [] }),
    readArticle: async () => null,
  };
  const publisher = {
    fetch: async () => {
      state.calls += 1;
      if (state.current === 'down') throw new Error('unreachable');
      return Response.json({ version: HASH(state.current.version), seq: state.current.seq });
    },
  } as unknown as Fetcher;
  const sources: VersionSources = {
    store,
    publisher,
    refreshMs: timing.refreshMs,
    deadlineMs: 100,
    waitUntil: (work) => background.push(work),
  };
  return { state, sources, settle: () => Promise.all(background.splice(0)) };
}

describe('Freshness', () => {
  it('answers from what it knows while young, refreshes in the background, waits only when old', async () => {
    const { state, sources, settle } = fakeSources({ version: 1, seq: 1 });
    const freshness = new Freshness();
    expect((await freshness.current(sources, timing, 0)).site.version).toBe(HASH(1));
    expect(state.calls).toBe(1);
    state.current = { version: 2, seq: 2 };
    // Younger than the refresh interval: nothing asked.
    expect((await freshness.current(sources, timing, 400)).site.version).toBe(HASH(1));
    expect(state.calls).toBe(1);
    // Past it: the old answer at once, and one refresh behind it (not one per request).
    expect((await freshness.current(sources, timing, 600)).site.version).toBe(HASH(1));
    expect((await freshness.current(sources, timing, 610)).site.version).toBe(HASH(1));
    await settle();
    expect(state.calls).toBe(2);
    expect((await freshness.current(sources, timing, 700)).site.version).toBe(HASH(2));
    // Idle past the bound: this request waits for the sources.
    state.current = { version: 3, seq: 3 };
    expect((await freshness.current(sources, timing, 2_700)).site.version).toBe(HASH(3));
    expect(state.calls).toBe(3);
  });

  it('never goes back to a lower commit (monotonic reads), whatever a source says', async () => {
    const { state, sources } = fakeSources({ version: 5, seq: 5 });
    const freshness = new Freshness();
    expect((await freshness.current(sources, timing, 0)).site.version).toBe(HASH(5));
    state.current = { version: 4, seq: 4 };
    expect((await freshness.current(sources, timing, 3_000)).site.version).toBe(HASH(5));
    // The publisher gone: the KV pointer (commit 1) is older still; commit 5 is kept, no error.
    state.current = 'down';
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { site, stale } = await freshness.current(sources, timing, 6_000);
    error.mockRestore();
    expect(site.version).toBe(HASH(5));
    expect(stale).toBe(false);
  });

  it('falls back to the KV pointer when the publisher cannot say', async () => {
    const { state, sources } = fakeSources('down');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { site } = await new Freshness().current(sources, timing, 0);
    error.mockRestore();
    expect(site.version).toBe(HASH(1));
    expect(state.calls).toBe(1);
  });
});

describe('a remote location whose KV pointer is 60 s late', () => {
  /** KV as a far location sees it: the pointer as it was read first, new keys at once. */
  function laggingApp(bindings: Partial<Env> = {}) {
    let pointer: Promise<string | null> | undefined;
    const kv = {
      get: (key: string, options: { type: 'text'; cacheTtl?: number }) => {
        if (key !== VERSION_KEY) return env.ARTICLES.get(key, options);
        pointer ??= env.ARTICLES.get(key, options);
        return pointer;
      },
    };
    return testApp(
      {},
      {
        store: (_env, config) =>
          createKvStore(kv, {
            cacheTtl: config.kvCacheTtl,
            versionCacheTtl: config.versionKvCacheTtl,
            deadlineMs: config.kvDeadlineMs,
          }),
      },
      undefined,
      bindings,
    );
  }

  it('serves a new article within 5 s of its publish (the publisher says what is current)', async () => {
    await seedSite();
    const remote = laggingApp();
    const writer = testApp();
    // Primed before the publish: the pointer read, the URL a 404.
    expect((await remote.fetch('/')).status).toBe(200);
    expect((await remote.fetch('/articles/fresh-far-away')).status).toBe(404);
    expect(
      (await apiPut(writer, 'fresh-far-away', variantOf('fresh-far-away', 'Far.'))).status,
    ).toBe(201);
    const published = Date.now();
    let status = 404;
    while (status !== 200 && Date.now() - published < 8_000) {
      status = (await remote.fetch('/articles/fresh-far-away')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const ms = Date.now() - published;
    console.log(`remote location: new article visible after ${ms} ms`);
    expect(status).toBe(200);
    expect(ms).toBeLessThan(5_000);
  });

  it('with the publisher unreachable, serves the old version from KV, never an error', async () => {
    await seedSite();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const down = {
        fetch: () => Promise.reject(new Error('unreachable')),
      } as unknown as Fetcher;
      const remote = laggingApp({ PUBLISHER: down } as Partial<Env>);
      expect((await remote.fetch('/')).status).toBe(200);
      const writer = testApp();
      expect(
        (await apiPut(writer, 'fresh-unseen', variantOf('fresh-unseen', 'Unseen.'))).status,
      ).toBe(201);
      for (let i = 0; i < 5; i++) {
        expect((await remote.fetch('/articles/fresh-unseen')).status).toBe(404);
        expect((await remote.fetch('/')).status).toBe(200);
      }
    } finally {
      error.mockRestore();
    }
  });
});
