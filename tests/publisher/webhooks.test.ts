/**
 * Webhooks with a real receiver (a Node HTTP server, tests/support/webhook-receiver.ts): signed
 * events after the KV projection completes, retried with backoff by the alarm until a 2xx, each
 * with an id for de-duplication, and never in the way of a publish.
 */
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { testApp } from '../support/app';
import { variantOf } from '../support/publish';
import { AUTH, apiPut, changeObjectEnv, publisherFetch, seedSite } from '../support/publisher';
import type { Received } from '../support/webhook-receiver';
import { WEBHOOK_SECRET } from '../support/webhook-receiver';

const receiver = inject('webhookReceiver');
const api = () => testApp({ VERSION_MAX_AGE_MS: '0' });

async function received(): Promise<Received[]> {
  return (await (await fetch(`${receiver}/log`)).json()) as Received[];
}

/** Waits until `predicate` holds of the receiver's log (the alarm delivers in the background). */
async function until(predicate: (log: Received[]) => boolean, ms = 10_000): Promise<Received[]> {
  const end = Date.now() + ms;
  for (;;) {
    const log = await received();
    if (predicate(log) || Date.now() > end) return log;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let restore: () => Promise<void>;

beforeAll(async () => {
  await seedSite();
  restore = await changeObjectEnv((e) => ({
    ...e,
    WEBHOOKS: JSON.stringify([
      { url: `${receiver}/ok/main`, secret: WEBHOOK_SECRET },
      { url: `${receiver}/flaky/second`, secret: WEBHOOK_SECRET },
    ]),
    WEBHOOK_RETRY_MS: '200',
  }));
});

afterAll(() => restore());

describe('webhooks', () => {
  it('tells each subscriber of a publish, signed, after KV shows it; retries one that fails twice', async () => {
    const app = api();
    const started = Date.now();
    const res = await apiPut(app, 'hooked', variantOf('hooked', 'Told.'));
    // The publish answers without waiting for any subscriber.
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(5_000);
    const log = await until(
      (l) =>
        l.some((r) => r.slug === 'hooked' && r.path === '/ok/main') &&
        l.some((r) => r.slug === 'hooked' && r.path === '/flaky/second' && r.status === 204),
    );
    const mine = log.filter((r) => r.slug === 'hooked');
    const main = mine.filter((r) => r.path === '/ok/main');
    const flaky = mine.filter((r) => r.path === '/flaky/second');
    expect(main).toEqual([expect.objectContaining({ type: 'article.published', status: 204 })]);
    // Failed twice (503), delivered on the third attempt, the same event each time.
    expect(flaky.map((r) => r.status)).toEqual([503, 503, 204]);
    expect(new Set(flaky.map((r) => r.eventId)).size).toBe(1);
    expect(flaky[0]?.eventId).toBe(main[0]?.eventId);
    expect(mine.every((r) => r.signatureValid)).toBe(true);
    // The article was readable when the subscriber was told.
    expect((await app.fetch('/articles/hooked')).status).toBe(200);
  }, 20_000);

  it('sends updated, scheduled and unpublished events, one id per event', async () => {
    const app = api();
    await apiPut(app, 'hooked-2', variantOf('hooked-2', 'One.'));
    await apiPut(app, 'hooked-2', variantOf('hooked-2', 'Two.'));
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const later = variantOf('hooked-3', 'Later.').replace(/\n---\n/, `\npublishAt: ${at}\n---\n`);
    await apiPut(app, 'hooked-3', later);
    // The same schedule sent again (as a sync sends every file) changes nothing: no second event.
    expect(await (await apiPut(app, 'hooked-3', later)).json()).toMatchObject({
      status: 'scheduled',
    });
    await app.fetch('/api/articles/hooked-2', { method: 'DELETE', headers: AUTH });
    const log = await until(
      (l) => l.filter((r) => r.path === '/ok/main' && r.slug.startsWith('hooked-')).length >= 4,
    );
    const types = log
      .filter((r) => r.path === '/ok/main' && r.slug.startsWith('hooked-'))
      .map((r) => `${r.type} ${r.slug}`);
    expect(types).toEqual([
      'article.published hooked-2',
      'article.updated hooked-2',
      'article.scheduled hooked-3',
      'article.unpublished hooked-2',
    ]);
    const ids = log.filter((r) => r.path === '/ok/main').map((r) => r.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  }, 20_000);

  it('answers every request 503 naming WEBHOOKS when it is malformed, and logs it once', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const bad = { WEBHOOKS: '{not json' };
      const put = await publisherFetch(
        '/api/articles/hooked-bad',
        { method: 'PUT', headers: { ...AUTH, 'Content-Type': 'text/markdown' }, body: 'x' },
        bad,
      );
      expect(put.status).toBe(503);
      expect(((await put.json()) as { detail: string }).detail).toMatch(
        /^The publisher is misconfigured: WEBHOOKS: expected a JSON list of \{"url", "secret"\}/,
      );
      expect((await publisherFetch('/actor/followers', {}, bad)).status).toBe(503);
      expect(logged.mock.calls.map(([m]) => String(m))).toContainEqual(
        expect.stringMatching(/^settings: WEBHOOKS: expected a JSON list/),
      );
    } finally {
      logged.mockRestore();
    }
  });
});
