/**
 * The editor's day, through the API: scheduled publishing (one alarm for every scheduled article,
 * published through the same write path at `publishAt`), and documents that round-trip (what GET
 * answers, PUT takes back unchanged, as JSON or as the Markdown source).
 */
import { runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../support/app';
import { variantOf } from '../support/publish';
import { AUTH, apiPut, publishedSlugs, seedSite, siteObject } from '../support/publisher';

const api = () => testApp({ VERSION_MAX_AGE_MS: '0' });
const scheduled = (slug: string, at: Date, sentence = 'Embargoed.') =>
  variantOf(slug, sentence).replace(/\n---\n/, `\npublishAt: ${at.toISOString()}\n---\n`);
const inSeconds = (s: number) => new Date(Date.now() + s * 1000);

async function untilStatus(app: ReturnType<typeof api>, path: string, status: number, ms: number) {
  const end = Date.now() + ms;
  for (;;) {
    const res = await app.fetch(path);
    await res.arrayBuffer();
    if (res.status === status || Date.now() > end) return res.status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(() => seedSite());

describe('scheduled publishing', () => {
  it('keeps a scheduled article out of every public answer, then publishes it at publishAt', async () => {
    const app = api();
    const at = inSeconds(2);
    const put = await apiPut(app, 'embargoed', scheduled('embargoed', at));
    expect(put.status).toBe(201);
    expect(await put.json()).toMatchObject({ status: 'scheduled', hash: null, url: null });

    // Before publishAt: nowhere public, and a 404 (never published), not a 410.
    expect((await app.fetch('/articles/embargoed')).status).toBe(404);
    for (const path of ['/', '/feed.xml', '/feed.json', '/sitemap.xml']) {
      expect(await (await app.fetch(path)).text(), path).not.toContain('embargoed');
    }
    expect(await publishedSlugs()).not.toContain('embargoed');
    // The API lists it, and reads it back, with its time.
    const listed = (await (
      await app.fetch('/api/articles?status=scheduled', { headers: AUTH })
    ).json()) as { articles: { slug: string; publishAt: string }[] };
    expect(listed.articles).toContainEqual(
      expect.objectContaining({ slug: 'embargoed', publishAt: at.toISOString() }),
    );
    const read = await app.fetch('/api/articles/embargoed', { headers: AUTH });
    expect(await read.json()).toMatchObject({ status: 'scheduled', publishAt: at.toISOString() });

    // At publishAt the Durable Object's alarm publishes it; readers see it within the freshness
    // bound (VERSION_MAX_AGE_MS, 0 here) after the alarm's commit.
    expect(await untilStatus(app, '/articles/embargoed', 200, 8_000)).toBe(200);
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());
    expect(await publishedSlugs()).toContain('embargoed');
    expect(await (await app.fetch('/feed.xml')).text()).toContain('embargoed');
    const after = await app.fetch('/api/articles/embargoed', { headers: AUTH });
    expect(await after.json()).toMatchObject({ status: 'published' });
  }, 20_000);

  it('reschedules, unschedules, and shares one alarm among many scheduled articles', async () => {
    const app = api();
    const far = inSeconds(3600);
    const later = inSeconds(7200);
    await apiPut(app, 'sched-a', scheduled('sched-a', later));
    await apiPut(app, 'sched-b', scheduled('sched-b', far));
    // The alarm is armed for the earliest (or earlier, for a projection retry).
    const alarm = await runInDurableObject(siteObject(), (_, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm as number).toBeLessThanOrEqual(far.getTime());
    // Rescheduling b moves its time; deleting a cancels it.
    const sooner = inSeconds(1800);
    expect((await apiPut(app, 'sched-b', scheduled('sched-b', sooner))).status).toBe(200);
    expect(
      (await app.fetch('/api/articles/sched-a', { method: 'DELETE', headers: AUTH })).status,
    ).toBe(200);
    const schedule = await siteObject().schedule();
    expect(schedule.filter((s) => s.slug.startsWith('sched-'))).toEqual([
      expect.objectContaining({ slug: 'sched-b', publishAt: sooner.toISOString() }),
    ]);
    // A publishAt already past publishes at once.
    const past = await apiPut(app, 'sched-past', scheduled('sched-past', inSeconds(-60)));
    expect(await past.json()).toMatchObject({ status: 'added' });
    expect((await app.fetch('/articles/sched-past')).status).toBe(200);
  });

  it('names the field and the value when publishAt is not an instant', async () => {
    const app = api();
    const res = await apiPut(
      app,
      'bad-time',
      variantOf('bad-time', 'x').replace(/\n---\n/, '\npublishAt: 2026-12-01\n---\n'),
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors).toEqual([
      { field: 'publishAt', message: expect.stringMatching(/^"2026-12-01" is not an RFC 3339/) },
    ]);
  });
});

describe('documents that round-trip', () => {
  it('takes back unchanged what GET answered, as JSON', async () => {
    const app = api();
    await apiPut(app, 'round-trip', variantOf('round-trip', 'Both ways.'));
    const read = await app.fetch('/api/articles/round-trip', { headers: AUTH });
    const document = (await read.json()) as Record<string, unknown>;
    expect(document).toMatchObject({ slug: 'round-trip', status: 'published' });
    expect(document.body).toEqual(expect.stringContaining('Both ways.'));
    const back = await app.fetch('/api/articles/round-trip', {
      method: 'PUT',
      headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify(document),
    });
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ status: 'unchanged', hash: document.hash });
  });

  it('answers Accept: text/markdown with the source document, which PUT takes back unchanged', async () => {
    const app = api();
    await apiPut(app, 'round-md', variantOf('round-md', 'As Markdown.'));
    const read = await app.fetch('/api/articles/round-md', {
      headers: { ...AUTH, Accept: 'text/markdown' },
    });
    expect(read.headers.get('Content-Type')).toBe('text/markdown; charset=utf-8');
    expect(read.headers.get('Vary')).toBe('Accept');
    const source = await read.text();
    expect(source).toMatch(/^---\ntitle: /);
    expect(source).toContain('As Markdown.');
    const back = await apiPut(app, 'round-md', source, {
      'If-Match': read.headers.get('ETag') ?? '',
    });
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ status: 'unchanged' });
  });

  it('still refuses a field that is neither the document nor its read-only state', async () => {
    const app = api();
    const read = await app.fetch('/api/articles/round-trip', { headers: AUTH });
    const document = { ...((await read.json()) as Record<string, unknown>), bodyMarkdown: 'x' };
    const res = await app.fetch('/api/articles/round-trip', {
      method: 'PUT',
      headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify(document),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      errors: [expect.objectContaining({ field: 'bodyMarkdown' })],
    });
  });
});
