/**
 * docs/openapi.yaml against the real API: a session that exercises every operation records each
 * answer's status, media type and top-level fields; then every answer must be documented (status
 * and fields), and every documented status must have been seen.
 */

import { runInDurableObject } from 'cloudflare:test';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import spec from '../../docs/openapi.yaml?raw';
import type { SiteWriter } from '../../src/publisher/site-writer';
import { testApp } from '../support/app';
import { shippedArticle, variantOf } from '../support/publish';
import { AUTH, publisherFetch, seedSite, siteObject } from '../support/publisher';

interface Schema {
  $ref?: string;
  properties?: Record<string, unknown>;
  required?: string[];
}
interface Operation {
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    responses: Record<string, { content: Record<string, { schema: Schema }> }>;
  };
  'x-common-responses': { responses: Record<string, unknown> };
}

const doc = load(spec) as Spec;
const templates = Object.keys(doc.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

interface Seen {
  method: string;
  template: string;
  status: number;
  type: string;
  keys: string[];
}
const seen: Seen[] = [];

async function call(
  path: string,
  init: RequestInit = {},
  direct = false,
  vars: Record<string, string> = { PUBLISH_TOKEN: 'too-short' },
): Promise<Response> {
  const res = direct
    ? await publisherFetch(path, init, vars)
    : await testApp({ VERSION_MAX_AGE_MS: '0' }).fetch(path, init);
  const pathname = path.split('?')[0] ?? path;
  const template = templates.find((t) => t.pattern.test(pathname))?.template ?? pathname;
  const type = (res.headers.get('Content-Type') ?? '').split(';')[0] ?? '';
  const text = await res.clone().text();
  const keys = type.endsWith('json') ? Object.keys(JSON.parse(text) as object) : [];
  seen.push({
    method: (init.method ?? 'GET').toLowerCase(),
    template,
    status: res.status,
    type,
    keys,
  });
  return res;
}

const put = (slug: string, body: string, headers: Record<string, string> = {}) =>
  call(`/api/articles/${slug}`, {
    method: 'PUT',
    headers: { ...AUTH, 'Content-Type': 'text/markdown', ...headers },
    body,
  });
const json = (body: unknown) => ({
  method: 'POST',
  headers: { ...AUTH, 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

function schemaOf(ref: Schema | undefined): Schema | undefined {
  if (!ref?.$ref) return ref;
  return doc.components.schemas[ref.$ref.split('/').at(-1) ?? ''];
}

beforeAll(async () => {
  await seedSite();
  const A = 'oa-one';
  await call('/api/articles', { headers: AUTH });
  await call('/api/articles?status=scheduled', { headers: AUTH });
  await call('/api/articles');
  await call('/api/status', { headers: AUTH });
  await put(A, variantOf(A, 'First.'));
  await put(A, variantOf(A, 'Second.'));
  await put(A, variantOf(A, 'Third.'), { 'If-Match': '"other"' });
  await put(A, variantOf(A, 'x'), { 'Content-Type': 'text/plain' });
  await put(A, 'no front matter');
  await put(A, 'x'.repeat(1024 * 1024 + 1));
  await call(`/api/articles/${A}`, { headers: AUTH });
  await call(`/api/articles/${A}`, { headers: { ...AUTH, Accept: 'text/markdown' } });
  await call('/api/articles/no-such-article', { headers: AUTH });
  await call('/api/articles/Bad_Slug', { headers: AUTH });
  await call(`/api/articles/${A}/revisions`, { headers: AUTH });
  await call('/api/articles/no-such-article/revisions', { headers: AUTH });
  await call(`/api/articles/${A}/rollback`, { method: 'POST', headers: AUTH });
  await call('/api/articles/no-such-article/rollback', { method: 'POST', headers: AUTH });
  await put('oa-single', variantOf('oa-single', 'Only.'));
  await call('/api/articles/oa-single/rollback', { method: 'POST', headers: AUTH });
  const link = await call(`/api/articles/${A}/preview`, { method: 'POST', headers: AUTH });
  const key = new URL(((await link.json()) as { url: string }).url).hash.slice(1);
  const preview = () =>
    call('/preview', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${key}`,
    });
  await call('/preview');
  await preview();
  await call('/api/articles/no-such-article/preview', { method: 'POST', headers: AUTH });
  await call(`/api/articles/${A}/preview?ttl=0`, { method: 'POST', headers: AUTH });
  await call(`/api/articles/${A}/preview`, { method: 'DELETE', headers: AUTH });
  await preview();
  await call(`/api/articles/${A}`, { method: 'DELETE', headers: { ...AUTH, 'If-Match': '"x"' } });
  await call(`/api/articles/${A}`, { method: 'DELETE', headers: AUTH });
  await call('/api/articles/no-such-article', { method: 'DELETE', headers: AUTH });
  await call(
    '/api/sync',
    json({ files: [{ path: 'content/a.md', source: shippedArticle }], force: true }),
  );
  // A file for an article last changed through the API: a conflict, nothing written.
  await call(
    '/api/sync',
    json({
      files: [{ path: 'content/s.md', source: variantOf('oa-single', 'File.') }],
      partial: true,
    }),
  );
  await call('/api/sync', json({ files: 'nope' }));
  await call(
    '/api/sync',
    json({ files: [{ path: 'big.md', source: 'x'.repeat(33 * 1024 * 1024) }] }),
  );
  await call(`/api/articles/${A}`, { method: 'PATCH', headers: AUTH });
  // People, tokens, sessions, passkeys, the audit trail, review.
  const send = (method: string, body?: unknown) => ({
    method,
    headers: { ...AUTH, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await call('/api/session', { headers: AUTH });
  await call('/api/people', { headers: AUTH });
  const made = await call(
    '/api/people',
    send('POST', { name: 'Ada', email: 'ada@openapi.test', role: 'contributor' }),
  );
  const ada = ((await made.json()) as { id: string }).id;
  await call(
    '/api/people',
    send('POST', { name: 'Ada', email: 'ada@openapi.test', role: 'author' }),
  );
  await call('/api/people', send('POST', { name: '', email: 'nope', role: 'chief' }));
  await call(`/api/people/${ada}`, { headers: AUTH });
  await call('/api/people/p_nobody', { headers: AUTH });
  await call(`/api/people/${ada}`, send('PATCH', { author: 'Ada L.' }));
  await call(`/api/people/${ada}`, send('PATCH', { role: 'emperor' }));
  const other = await call(
    '/api/people',
    send('POST', { name: 'Bo', email: 'bo@openapi.test', role: 'author' }),
  );
  const bo = ((await other.json()) as { id: string }).id;
  await call(`/api/people/${bo}`, send('PATCH', { email: 'ada@openapi.test' }));
  await call(`/api/people/${ada}/invitations`, send('POST'));
  await call('/api/people/p_nobody/invitations', send('POST'));
  await call(`/api/people/${ada}/sign-in-links`, send('POST'));
  await call(`/api/people/${ada}/sign-in-links`, send('POST'), true, { LOCAL_SIGN_IN: 'false' });
  // A passkey and a session as the browser ceremonies leave them (tests/e2e makes real ones).
  await runInDurableObject(siteObject(), (_object: SiteWriter, state) => {
    const sql = state.storage.sql;
    sql.exec(
      "INSERT INTO passkeys (id, person_id, public_key, counter, transports, created_at) VALUES ('pk-ada', ?, 'AA', 0, '', 1)",
      ada,
    );
    sql.exec(
      "INSERT INTO sessions (id, person_id, hash, via, created_at, expires_at, address) VALUES ('s_ada', ?, 'h-ada', 'passkey', ?, ?, 'test')",
      ada,
      Date.now(),
      Date.now() + 60_000,
    );
  });
  await call(`/api/people/${ada}/sessions`, { headers: AUTH });
  await call(`/api/people/${ada}/sessions/s_ada`, send('DELETE'));
  await call(`/api/people/${ada}/passkeys/pk-ada`, send('DELETE'));
  await call(`/api/people/${ada}/sessions/s_nothing`, send('DELETE'));
  await call(`/api/people/${ada}/passkeys`, { headers: AUTH });
  await call(`/api/people/${ada}/passkeys/no-such-passkey`, send('DELETE'));
  const token = await call('/api/tokens', send('POST', { person: ada, scopes: ['read', 'draft'] }));
  const { id: tokenId, token: adaToken } = (await token.json()) as { id: string; token: string };
  await call('/api/tokens', send('POST', { person: ada, scopes: [] }));
  await call('/api/tokens', { headers: AUTH });
  await call(`/api/tokens?person=${ada}`, { headers: AUTH });
  const asAda = { Authorization: `Bearer ${adaToken}`, 'Content-Type': 'text/markdown' };
  await call('/api/articles/oa-review', {
    method: 'PUT',
    headers: asAda,
    body: variantOf('oa-review', 'Review.').replace(/^slug: (.*)$/m, 'slug: $1\ndraft: true'),
  });
  await call('/api/articles/oa-review/review', { method: 'POST', headers: asAda });
  await call('/api/articles/oa-single/review', { method: 'POST', headers: AUTH });
  await call('/api/audit', { headers: { Authorization: `Bearer ${adaToken}` } });
  await call(`/api/audit?person=${ada}`, { headers: AUTH });
  await call('/api/audit?before=x', { headers: AUTH });
  await call(`/api/tokens/${tokenId}`, send('DELETE'));
  await call('/api/tokens/t_nothing', send('DELETE'));
  await call(`/api/people/${bo}`, send('DELETE'));
  for (let i = 0; i < 11; i++) {
    await call('/api/articles', {
      headers: {
        Authorization: 'Bearer wrong-token-wrong-token-wrong-token',
        'CF-Connecting-IP': '203.0.113.77',
      },
    });
  }
  // A token too short to be safe: 503, and the reason logged for the operator.
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  await call('/api/articles', { headers: AUTH }, true);
  expect(logged.mock.calls.map(([m]) => String(m))).toEqual([
    expect.stringMatching(/^settings: PUBLISH_TOKEN: expected at least 32 characters/),
  ]);
  logged.mockRestore();
}, 120_000);

describe('docs/openapi.yaml', () => {
  it('documents the status of every answer, and every field of its JSON body', () => {
    const common = doc['x-common-responses'].responses;
    const wrong: string[] = [];
    for (const s of seen) {
      const op = doc.paths[s.template]?.[s.method];
      if (!op) {
        if (s.status !== 405) wrong.push(`${s.method} ${s.template}: not documented (${s.status})`);
        continue;
      }
      const response =
        op.responses[String(s.status)] ??
        (common[String(s.status)] as Operation['responses'][string] | undefined);
      if (!response) {
        wrong.push(`${s.method} ${s.template}: ${s.status} not documented`);
        continue;
      }
      const content = response.$ref ? doc.components.responses.Problem?.content : response.content;
      const media = content?.[s.type];
      if (!media) {
        wrong.push(`${s.method} ${s.template} ${s.status}: ${s.type} not documented`);
        continue;
      }
      const schema = schemaOf(media.schema);
      if (s.keys.length === 0 || !schema?.properties) continue;
      for (const key of s.keys) {
        if (!(key in schema.properties))
          wrong.push(`${s.method} ${s.template} ${s.status}: field ${key} not documented`);
      }
      for (const key of schema.required ?? []) {
        if (!s.keys.includes(key))
          wrong.push(`${s.method} ${s.template} ${s.status}: required ${key} missing`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has seen every status it documents', () => {
    const missing: string[] = [];
    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (method === 'parameters') continue;
        for (const status of Object.keys(op.responses)) {
          const hit = seen.some(
            (s) => s.template === template && s.method === method && String(s.status) === status,
          );
          if (!hit) missing.push(`${method} ${template} ${status}`);
        }
      }
    }
    for (const status of Object.keys(doc['x-common-responses'].responses)) {
      if (!seen.some((s) => String(s.status) === status && s.template.startsWith('/api')))
        missing.push(`any /api ${status}`);
    }
    expect(missing).toEqual([]);
  });
});
