/**
 * The publishing API through the reader's /api (the real service binding to the publisher and
 * its Durable Object), against the real local KV: auth, validation, preconditions, deletes,
 * drafts, rollback, and an index that never names a missing record.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { testApp } from '../support/app';
import { shippedArticle, variantOf } from '../support/publish';
import {
  AUTH,
  apiPut,
  publishedSlugs,
  publisherFetch,
  seedSite,
  TOKEN,
} from '../support/publisher';

const SHIPPED = 'trump-seeks-to-renew-relations-with-putins-russia';

function api() {
  return testApp({ VERSION_MAX_AGE_MS: '0' });
}

beforeAll(() => seedSite());

describe('auth', () => {
  it('is off (404 problem) when no PUBLISH_TOKEN is configured', async () => {
    const res = await publisherFetch('/api/articles', { headers: AUTH }, { PUBLISH_TOKEN: '' });
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  });

  it('refuses every request, saying why, when PUBLISH_TOKEN is shorter than 32 characters', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const short = 'x'.repeat(31);
    const res = await publisherFetch(
      '/api/articles',
      { headers: { Authorization: `Bearer ${short}` } },
      { PUBLISH_TOKEN: short },
    );
    expect(res.status).toBe(503);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/at least 32 characters/);
    expect(String(error.mock.calls[0])).not.toContain(short);
    error.mockRestore();
  });

  it('answers 401 with WWW-Authenticate without a token, a malformed one or a wrong one, identically', async () => {
    const app = api();
    const answers = await Promise.all(
      [
        {} as Record<string, string>,
        { Authorization: 'Bearer wrong' },
        { Authorization: `Bearer ${TOKEN}x` },
        { Authorization: 'Basic abc' },
      ].map(async (headers) => {
        const res = await app.fetch('/api/articles', {
          headers: { ...headers, 'CF-Connecting-IP': '198.51.100.1' },
        });
        return [res.status, res.headers.get('WWW-Authenticate'), await res.text()];
      }),
    );
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.[0]).toBe(401);
    expect(answers[0]?.[1]).toBe('Bearer realm="kvpress publishing"');
  });

  it('limits failed authentications per address with 429 + Retry-After; other addresses and, after the window, the right token still work', async () => {
    const app = api();
    const from = (ip: string, auth: Record<string, string>) =>
      app.fetch('/api/articles', { headers: { ...auth, 'CF-Connecting-IP': ip } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await from('203.0.113.9', { Authorization: 'Bearer nope' })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const blocked = await from('203.0.113.9', AUTH);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await from('203.0.113.10', AUTH)).status).toBe(200);
  });

  it('gets no CORS headers: /api is not a public resource', async () => {
    const app = api();
    const preflight = await app.fetch('/api/articles', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://elsewhere.example',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toBeNull();
    const get = await app.fetch('/api/articles', {
      headers: { ...AUTH, Origin: 'https://elsewhere.example' },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('never writes a token to the logs or into an answer', async () => {
    const logs = [vi.spyOn(console, 'error'), vi.spyOn(console, 'log'), vi.spyOn(console, 'warn')];
    const app = api();
    const wrong = await app.fetch('/api/articles', {
      headers: { Authorization: 'Bearer leaked-secret' },
    });
    const right = await apiPut(app, 'bad', '---\ntitle: x\n---\nbody');
    const texts = [await wrong.text(), await right.text()];
    for (const spy of logs) {
      for (const call of spy.mock.calls)
        expect(String(call)).not.toMatch(/leaked-secret|test-token/);
      spy.mockRestore();
    }
    for (const text of texts) expect(text).not.toMatch(/leaked-secret|test-token/);
  });

  it('answers an unsupported method with a 405 problem and Allow, and an unknown path with a 404 problem', async () => {
    const app = api();
    const wrongMethod = await app.fetch('/api/articles', { method: 'POST', headers: AUTH });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('Allow')).toContain('GET');
    expect(wrongMethod.headers.get('Content-Type')).toBe('application/problem+json');
    expect(wrongMethod.headers.get('Cache-Control')).toBe('no-store');
    const unknown = await app.fetch('/api/nothing-here', { headers: AUTH });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('Content-Type')).toBe('application/problem+json');
  });

  it('lists what the site holds, with hashes and origins, to the right token', async () => {
    const res = await api().fetch('/api/articles', { headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = (await res.json()) as {
      articles: { slug: string; hash: string; etag: string; origin: string }[];
    };
    const shipped = body.articles.find((a) => a.slug === SHIPPED);
    expect(shipped?.etag).toBe(`"${shipped?.hash}"`);
    expect(shipped?.origin).toBe('file');
  });
});

describe('PUT /api/articles/:slug', () => {
  it('publishes a Markdown document, visible to readers and listed on the home page', async () => {
    const app = api();
    const res = await apiPut(app, 'api-new', variantOf('api-new', 'Via the API.'));
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      hash: string;
      status: string;
      projection: { complete: boolean };
    };
    expect(body.status).toBe('added');
    expect(body.projection.complete).toBe(true);
    // RFC 9110 §9.3.4: no validator for content stored transformed; the body carries the tag.
    expect(res.headers.get('ETag')).toBeNull();
    expect(
      await (await app.fetch('/api/articles/api-new', { headers: AUTH })).headers.get('ETag'),
    ).toBe(`"${body.hash}"`);
    const page = await app.fetch('/articles/api-new');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Via the API.');
    expect(await (await app.fetch('/')).text()).toContain('/articles/api-new');
    expect(await publishedSlugs()).toEqual(expect.arrayContaining(['api-new', SHIPPED]));
  });

  it('publishes the same record from the JSON form as from Markdown', async () => {
    const app = api();
    const markdown = (await (await apiPut(app, 'same-a', variantOf('same-a', 'Same.'))).json()) as {
      hash: string;
    };
    const json = {
      title: "Trump Seeks To Renew Relations With Putin's Russia",
      slug: 'same-a',
      description:
        'Russian president Vladimir Putin has announced that he will work to reestablish relations between the United States and Russia.',
      datePublished: '2016-11-14',
      sources: ['BBC', 'RT', 'New York Review of Books', 'The New York Times'],
      section: 'World',
      tags: ['Russia', 'United States', 'Vladimir Putin', 'Donald Trump'],
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
    const res = await apiPut(
      api(),
      'broken',
      '---\nslug: broken\ndescription: d\ndatePublished: 2016-02-30\n---\nbody',
    );
    expect(res.status).toBe(422);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['datePublished', 'title']);
  });

  it('refuses a document whose slug is not the URL slug, and a URL slug that breaks the rule (422)', async () => {
    const other = await apiPut(api(), 'other-slug', variantOf('api-x', 'x'));
    expect(other.status).toBe(422);
    expect(((await other.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('slug');
    const bad = await apiPut(api(), 'Bad_Slug', variantOf('api-x', 'x'));
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(
      /lowercase letters and digits/,
    );
  });

  it('answers 413 for a document over 1 MiB and 415 for another content type', async () => {
    const app = api();
    const big = await apiPut(app, 'big', `${variantOf('big', 'x')}\n${'word '.repeat(220_000)}`);
    expect(big.status).toBe(413);
    const plain = await apiPut(app, 'plain', variantOf('plain', 'x'), {
      'Content-Type': 'text/plain',
    });
    expect(plain.status).toBe(415);
    expect(plain.headers.get('Accept')).toBe('text/markdown, application/json');
  });
});

describe('preconditions, evaluated in the one writer', () => {
  it('answers 412 to If-Match with an old ETag, and accepts the current one', async () => {
    const app = api();
    const tagOf = async (res: Response) => ((await res.json()) as { etag: string }).etag;
    const oldTag = await tagOf(await apiPut(app, 'guarded', variantOf('guarded', 'One.')));
    const second = await apiPut(app, 'guarded', variantOf('guarded', 'Two.'), {
      'If-Match': oldTag,
    });
    expect(second.status).toBe(200);
    const secondTag = await tagOf(second);
    const stale = await apiPut(app, 'guarded', variantOf('guarded', 'Three.'), {
      'If-Match': oldTag,
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('ETag')).toBe(secondTag);
    // A list of tags, one of them current, matches (RFC 9110 §13.1.1), as does `*`.
    const listed = await apiPut(app, 'guarded', variantOf('guarded', 'Four.'), {
      'If-Match': `"0000", ${secondTag}`,
    });
    expect(listed.status).toBe(200);
    expect(
      (await apiPut(app, 'guarded', variantOf('guarded', 'Five.'), { 'If-Match': '*' })).status,
    ).toBe(200);
    expect(
      (await apiPut(app, 'never-was', variantOf('never-was', 'x'), { 'If-Match': '*' })).status,
    ).toBe(412);
  });

  it('creates only with If-None-Match: *', async () => {
    const app = api();
    expect(
      (await apiPut(app, 'create-only', variantOf('create-only', 'A.'), { 'If-None-Match': '*' }))
        .status,
    ).toBe(201);
    expect(
      (await apiPut(app, 'create-only', variantOf('create-only', 'B.'), { 'If-None-Match': '*' }))
        .status,
    ).toBe(412);
  });
});

describe('DELETE, drafts and rollback', () => {
  it('retracts an article: readers get 404, the API keeps its revisions, a second DELETE is 404', async () => {
    const app = api();
    await apiPut(app, 'retract-me', variantOf('retract-me', 'Soon gone.'));
    const res = await app.fetch('/api/articles/retract-me', { method: 'DELETE', headers: AUTH });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('removed');
    expect((await app.fetch('/articles/retract-me')).status).toBe(404);
    expect(await publishedSlugs()).not.toContain('retract-me');
    const revisions = await app.fetch('/api/articles/retract-me/revisions', { headers: AUTH });
    expect(((await revisions.json()) as { revisions: unknown[] }).revisions).toHaveLength(1);
    expect(
      (await app.fetch('/api/articles/retract-me', { method: 'DELETE', headers: AUTH })).status,
    ).toBe(404);
  });

  it('stores a draft without listing or serving it, and reads it back through the API', async () => {
    const app = api();
    const draft = variantOf('draft-piece', 'Not yet.').replace('---\n\n', 'draft: true\n---\n\n');
    const res = await apiPut(app, 'draft-piece', draft);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { status: string; url: string | null };
    expect(body).toMatchObject({ status: 'draft', url: null });
    expect((await app.fetch('/articles/draft-piece')).status).toBe(404);
    expect(await (await app.fetch('/')).text()).not.toContain('draft-piece');
    expect(await publishedSlugs()).not.toContain('draft-piece');
    // The draft is the article's current revision: If-None-Match: * sees it, If-Match can target it.
    expect(
      (
        await apiPut(app, 'draft-piece', draft.replace('Not yet.', 'Other.'), {
          'If-None-Match': '*',
        })
      ).status,
    ).toBe(412);
    const read = await app.fetch('/api/articles/draft-piece', { headers: AUTH });
    const updated = await apiPut(app, 'draft-piece', draft.replace('Not yet.', 'Not yet, still.'), {
      'If-Match': read.headers.get('ETag') ?? '',
    });
    expect(updated.status).toBe(200);
    expect((await read.json()) as { status: string; body: string }).toMatchObject({
      status: 'draft',
      body: expect.stringContaining('Not yet.'),
    });
  });

  it('numbers revisions per article, and rolls back to one by its number', async () => {
    const app = api();
    // Interleaved with another article's: each counts its own.
    await apiPut(app, 'counted-a', variantOf('counted-a', 'A one.'));
    await apiPut(app, 'counted-b', variantOf('counted-b', 'B one.'));
    await apiPut(app, 'counted-a', variantOf('counted-a', 'A two.'));
    await apiPut(app, 'counted-b', variantOf('counted-b', 'B two.'));
    for (const slug of ['counted-a', 'counted-b']) {
      const list = (await (
        await app.fetch(`/api/articles/${slug}/revisions`, { headers: AUTH })
      ).json()) as { revisions: { revision: number }[] };
      expect(list.revisions.map((r) => r.revision)).toEqual([2, 1]);
    }
    const back = await app.fetch('/api/articles/counted-b/rollback?to=1', {
      method: 'POST',
      headers: AUTH,
    });
    expect(back.status).toBe(200);
    expect(await (await app.fetch('/articles/counted-b')).text()).toContain('B one.');
  });

  it('answers Accept: text/markdown with the document itself, as it was sent', async () => {
    const app = api();
    const source = variantOf('as-sent', 'Verbatim.').replace(
      /^title: (.*)$/m,
      '# The desk\'s note on this headline.\ntitle: "$1"',
    );
    expect((await apiPut(app, 'as-sent', source)).status).toBe(201);
    const res = await app.fetch('/api/articles/as-sent', {
      headers: { ...AUTH, Accept: 'text/markdown' },
    });
    expect(res.headers.get('Content-Type')).toBe('text/markdown; charset=utf-8');
    expect(await res.text()).toBe(source);
  });

  it('rolls back to the previous revision, and to a named one', async () => {
    const app = api();
    const one = (await (await apiPut(app, 'rolled', variantOf('rolled', 'First.'))).json()) as {
      hash: string;
    };
    await apiPut(app, 'rolled', variantOf('rolled', 'Second.'));
    const back = await app.fetch('/api/articles/rolled/rollback', {
      method: 'POST',
      headers: AUTH,
    });
    expect(back.status).toBe(200);
    expect(((await back.json()) as { hash: string }).hash).toBe(one.hash);
    expect(await (await app.fetch('/articles/rolled')).text()).toContain('First.');
    const named = await app.fetch(`/api/articles/rolled/rollback?to=nothing-like-it`, {
      method: 'POST',
      headers: AUTH,
    });
    expect(named.status).toBe(409);
  });
});

describe('POST /api/sync in batches', () => {
  const sync = (body: object) =>
    api().fetch('/api/sync', {
      method: 'POST',
      headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const file = (slug: string) => ({
    path: `content/${slug}.md`,
    source: variantOf(slug, `File ${slug}.`),
  });

  it('retracts only the file-origin articles that neither the last batch nor `keep` names', async () => {
    expect((await sync({ files: [file('batch-a'), file('batch-c')], partial: true })).status).toBe(
      200,
    );
    const last = await sync({
      files: [file('batch-b'), { path: 'content/shipped.md', source: shippedArticle }],
      keep: ['batch-a'],
    });
    expect(last.status).toBe(200);
    const { plan } = (await last.json()) as { plan: { removed: string[]; added: string[] } };
    expect(plan.added).toEqual(['batch-b']);
    expect(plan.removed).toContain('batch-c');
    expect(plan.removed).not.toContain('batch-a');
    const slugs = await publishedSlugs();
    expect(slugs).toEqual(expect.arrayContaining(['batch-a', 'batch-b']));
    expect(slugs).not.toContain('batch-c');
  });
});
