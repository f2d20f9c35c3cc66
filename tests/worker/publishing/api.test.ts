/**
 * The publishing API inside workerd, against the real local KV: auth, validation, no lost
 * updates, deletes, drafts, and an index that never names a missing record.
 */
import { env } from 'cloudflare:workers';
import * as v from 'valibot';
import { describe, expect, it, vi } from 'vitest';
import {
  articleKey,
  historyKey,
  indexKey,
  indexPageKey,
  VERSION_KEY,
} from '../../../src/articles/keys';
import { IndexHeadSchema, IndexPageSchema } from '../../../src/articles/schema';
import { testApp } from '../support/app';
import { variantOf } from '../support/publish';

const TOKEN = 'test-token-0123456789';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

function api(vars: Record<string, string> = { PUBLISH_TOKEN: TOKEN }) {
  return testApp({ VERSION_MEMORY_TTL: '0', ...vars });
}

const put = (
  app: ReturnType<typeof api>,
  slug: string,
  body: string,
  headers: Record<string, string> = {},
) =>
  app.fetch(`/api/articles/${slug}`, {
    method: 'PUT',
    headers: { ...AUTH, 'Content-Type': 'text/markdown', ...headers },
    body,
  });

/** Every article the published index lists has its record in KV, and the pointer names the index. */
async function expectConsistentIndex(): Promise<string[]> {
  const pointer = JSON.parse((await env.ARTICLES.get(VERSION_KEY)) ?? 'null') as {
    version: string;
  };
  const head = v.parse(
    IndexHeadSchema,
    JSON.parse((await env.ARTICLES.get(indexKey(pointer.version))) ?? 'null'),
  );
  const slugs: string[] = [];
  for (const pageHash of head.pages) {
    const page = v.parse(
      IndexPageSchema,
      JSON.parse((await env.ARTICLES.get(indexPageKey(pageHash))) ?? 'null'),
    );
    for (const a of page.articles) {
      expect(
        await env.ARTICLES.get(articleKey(a.slug, a.hash)),
        `${a.slug} is in KV`,
      ).not.toBeNull();
      slugs.push(a.slug);
    }
  }
  expect(slugs).toHaveLength(head.total);
  return slugs;
}

describe('auth', () => {
  it('is disabled (404) when no PUBLISH_TOKEN is configured', async () => {
    const res = await testApp().fetch('/api/articles', { headers: AUTH });
    expect(res.status).toBe(404);
  });

  it('answers 401 with WWW-Authenticate without a token or with a wrong one, identically', async () => {
    const app = api();
    const answers = await Promise.all(
      [
        {} as Record<string, string>,
        { Authorization: 'Bearer wrong' },
        { Authorization: `Bearer ${TOKEN}x` },
        { Authorization: 'Basic abc' },
      ].map(async (headers) => {
        const res = await app.fetch('/api/articles', { headers });
        return [res.status, res.headers.get('WWW-Authenticate'), await res.text()];
      }),
    );
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.[0]).toBe(401);
    expect(answers[0]?.[1]).toBe('Bearer realm="kvpress publishing"');
  });

  it('never writes a token to the logs or into an answer', async () => {
    const logs = [vi.spyOn(console, 'error'), vi.spyOn(console, 'log'), vi.spyOn(console, 'warn')];
    const app = api();
    const wrong = await app.fetch('/api/articles', {
      headers: { Authorization: 'Bearer leaked-secret' },
    });
    const right = await put(app, 'bad', '---\ntitle: x\n---\nbody');
    const texts = [await wrong.text(), await right.text()];
    for (const spy of logs) {
      for (const call of spy.mock.calls)
        expect(String(call)).not.toMatch(/leaked-secret|test-token/);
      spy.mockRestore();
    }
    for (const text of texts) expect(text).not.toMatch(/leaked-secret|test-token/);
  });

  it('answers an unsupported method with a 405 problem and Allow, and stays hidden when off', async () => {
    const on = await api().fetch('/api/articles', { method: 'POST', headers: AUTH });
    expect(on.status).toBe(405);
    expect(on.headers.get('Allow')).toBe('GET, HEAD');
    expect(on.headers.get('Content-Type')).toBe('application/problem+json');
    expect(on.headers.get('Cache-Control')).toBe('no-store');
    const off = await api({}).fetch('/api/articles', { method: 'POST' });
    expect(off.status).toBe(404);
    expect(off.headers.get('Allow')).toBeNull();
  });

  it('lists what is published, with hashes, to the right token', async () => {
    const res = await api().fetch('/api/articles', { headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = (await res.json()) as { articles: { slug: string; hash: string; etag: string }[] };
    const [first] = body.articles;
    expect(first?.slug).toBe('trump-seeks-to-renew-relations-with-putins-russia');
    expect(first?.etag).toBe(`"${first?.hash}"`);
  });
});

describe('PUT /api/articles/:slug', () => {
  it('publishes a Markdown document, visible to readers and listed on the home page', async () => {
    const app = api();
    const res = await put(app, 'api-new', variantOf('api-new', 'Via the API.'));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { hash: string; status: string };
    expect(body.status).toBe('added');
    expect(res.headers.get('ETag')).toBe(`"${body.hash}"`);
    expect(res.headers.get('Location')).toMatch(/\/articles\/api-new$/);
    const page = await app.fetch('/articles/api-new');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Via the API.');
    expect(await (await app.fetch('/')).text()).toContain('/articles/api-new');
    expect(await expectConsistentIndex()).toContain('api-new');
  });

  it('publishes the same record from the JSON form as from Markdown', async () => {
    const app = api();
    const markdown = (await (await put(app, 'same-a', variantOf('same-a', 'Same.'))).json()) as {
      hash: string;
    };
    const json = {
      title: "Trump Seeks To Renew Relations With Putin's Russia",
      slug: 'same-a',
      description:
        'Russian president Vladimir Putin has announced that he will work to reestablish relations between the United States and Russia.',
      datePublished: '2016-11-14',
      sources: ['BBC', 'RT', 'New York Review of Books', 'The New York Times'],
      image: { credit: 'brando.n/Flickr' },
      body: variantOf('same-a', 'Same.').split(/\n---\n/)[1] ?? '',
    };
    const res = await app.fetch('/api/articles/same-a', {
      method: 'PUT',
      headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify(json),
    });
    const body = (await res.json()) as { hash: string; status: string };
    expect(body.hash).toBe(markdown.hash);
    expect(body.status).toBe('unchanged');
  });

  it('lists every field error in a 422 problem', async () => {
    const res = await put(
      api(),
      'broken',
      '---\nslug: broken\ndescription: d\ndatePublished: 2016-02-30\n---\nbody',
    );
    expect(res.status).toBe(422);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['datePublished', 'title']);
  });

  it('refuses a document whose slug is not the URL slug (422)', async () => {
    const res = await put(api(), 'other-slug', variantOf('api-x', 'x'));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('slug');
  });

  it('answers 413 for a document over 1 MiB and 415 for another content type', async () => {
    const app = api();
    const big = await put(app, 'big', `${variantOf('big', 'x')}\n${'word '.repeat(220_000)}`);
    expect(big.status).toBe(413);
    const plain = await put(app, 'plain', variantOf('plain', 'x'), {
      'Content-Type': 'text/plain',
    });
    expect(plain.status).toBe(415);
    expect(plain.headers.get('Accept')).toBe('text/markdown, application/json');
  });
});

describe('no lost updates', () => {
  it('answers 412 to If-Match with an old ETag, and accepts the current one', async () => {
    const app = api();
    const first = await put(app, 'guarded', variantOf('guarded', 'One.'));
    const oldTag = first.headers.get('ETag') ?? '';
    const second = await put(app, 'guarded', variantOf('guarded', 'Two.'), { 'If-Match': oldTag });
    expect(second.status).toBe(200);
    const stale = await put(app, 'guarded', variantOf('guarded', 'Three.'), { 'If-Match': oldTag });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('ETag')).toBe(second.headers.get('ETag'));
  });

  it('creates only with If-None-Match: *', async () => {
    const app = api();
    expect(
      (await put(app, 'create-only', variantOf('create-only', 'A.'), { 'If-None-Match': '*' }))
        .status,
    ).toBe(201);
    expect(
      (await put(app, 'create-only', variantOf('create-only', 'B.'), { 'If-None-Match': '*' }))
        .status,
    ).toBe(412);
  });

  it('lets exactly one of two concurrent PUTs with the same If-Match win', async () => {
    const app = api();
    const tag = (await put(app, 'race', variantOf('race', 'Start.'))).headers.get('ETag') ?? '';
    const [a, b] = await Promise.all([
      put(app, 'race', variantOf('race', 'Editor A.'), { 'If-Match': tag }),
      put(app, 'race', variantOf('race', 'Editor B.'), { 'If-Match': tag }),
    ]);
    expect([a?.status, b?.status].sort()).toEqual([200, 412]);
    await expectConsistentIndex();
  });
});

describe('DELETE and drafts', () => {
  it('retracts an article, keeps its history, and readers get 404', async () => {
    const app = api();
    await put(app, 'retract-me', variantOf('retract-me', 'Soon gone.'));
    const res = await app.fetch('/api/articles/retract-me', { method: 'DELETE', headers: AUTH });
    expect(res.status).toBe(200);
    expect((await app.fetch('/articles/retract-me')).status).toBe(404);
    const history = JSON.parse((await env.ARTICLES.get(historyKey('retract-me'))) ?? 'null');
    expect(history).toMatchObject({ removed: true, revisions: [expect.any(String)] });
    expect(await expectConsistentIndex()).not.toContain('retract-me');
    expect(
      (await app.fetch('/api/articles/retract-me', { method: 'DELETE', headers: AUTH })).status,
    ).toBe(404);
  });

  it('stores a draft without listing or serving it', async () => {
    const app = api();
    const draft = variantOf('draft-piece', 'Not yet.').replace('---\n\n', 'draft: true\n---\n\n');
    const res = await put(app, 'draft-piece', draft);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('draft');
    expect((await app.fetch('/articles/draft-piece')).status).toBe(404);
    expect(await (await app.fetch('/')).text()).not.toContain('draft-piece');
    expect(await expectConsistentIndex()).not.toContain('draft-piece');
  });
});
