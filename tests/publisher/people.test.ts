/**
 * People and roles through the API: every role (and PUBLISH_TOKEN) against every write the
 * publisher takes (the CLI's too: it sends /api/sync), each allowed or refused with a 403 that
 * names what the role may not do; the audit lists each write with its actor; revoked tokens and
 * deactivated people stop at the next request; Cloudflare Access assertions are verified.
 */
import { importJWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Role } from '../../src/publisher/api-types';
import { ACCESS_AUD, ACCESS_TEAM } from '../support/access-keys';
import { variantOf } from '../support/publish';
import { AUTH, publisherFetch, seedSite } from '../support/publisher';

type Actor = Role | 'PUBLISH_TOKEN';
const ROLES: Role[] = ['contributor', 'author', 'editor', 'admin'];
const ACTORS: Actor[] = [...ROLES, 'PUBLISH_TOKEN'];
const SCOPES: Record<Role, string[]> = {
  contributor: ['read', 'draft'],
  author: ['read', 'draft', 'publish'],
  editor: ['read', 'draft', 'publish'],
  admin: ['read', 'draft', 'publish', 'admin'],
};

const people = new Map<Actor, { id: string | null; token: string; email: string }>();
const auth = (actor: Actor) => ({ Authorization: `Bearer ${people.get(actor)?.token}` });

async function api(
  actor: Actor | Record<string, string>,
  method: string,
  path: string,
  body?: unknown,
) {
  const headers = typeof actor === 'string' ? auth(actor) : actor;
  const markdown = typeof body === 'string';
  return publisherFetch(path, {
    method,
    headers: {
      ...headers,
      ...(body === undefined
        ? {}
        : { 'Content-Type': markdown ? 'text/markdown' : 'application/json' }),
    },
    ...(body === undefined ? {} : { body: markdown ? body : JSON.stringify(body) }),
  });
}

async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

const published = (slug: string, sentence = 'Published.') => variantOf(slug, sentence);
const draft = (slug: string, sentence = 'Draft.') =>
  variantOf(slug, sentence).replace(/^slug: (.*)$/m, 'slug: $1\ndraft: true');
const scheduled = (slug: string) =>
  variantOf(slug, 'Later.').replace(/^slug: (.*)$/m, 'slug: $1\npublishAt: 2099-01-01T00:00:00Z');

let made = 0;
async function newPerson(role: Role): Promise<{ id: string; email: string }> {
  made += 1;
  const email = `${role}-${made}@people.test`;
  const person = await json<{ id: string }>(
    await api(AUTH, 'POST', '/api/people', { name: `${role} ${made}`, email, role }),
    201,
  );
  return { id: person.id, email };
}

beforeAll(async () => {
  await seedSite();
  people.set('PUBLISH_TOKEN', { id: null, token: AUTH.Authorization.slice(7), email: '' });
  for (const role of ROLES) {
    const { id, email } = await newPerson(role);
    const token = await json<{ token: string }>(
      await api(AUTH, 'POST', '/api/tokens', { person: id, scopes: SCOPES[role] }),
      201,
    );
    people.set(role, { id, token: token.token, email });
  }
});

/** The article setups a case starts from. */
const setups = {
  none: async (_slug: string, _actor: Actor) => {},
  ownDraft: async (slug: string, actor: Actor) => {
    await json(await api(actor, 'PUT', `/api/articles/${slug}`, draft(slug)), 201);
  },
  // Created by the actor (as a draft), published by an editor: still the actor's own.
  ownPublished: async (slug: string, actor: Actor) => {
    await json(await api(actor, 'PUT', `/api/articles/${slug}`, draft(slug)), 201);
    await json(await api('editor', 'PUT', `/api/articles/${slug}`, published(slug)), 200);
    await json(await api('editor', 'PUT', `/api/articles/${slug}`, published(slug, 'Again.')), 200);
  },
  // Created by the actor, scheduled by an editor.
  ownScheduled: async (slug: string, actor: Actor) => {
    await json(await api(actor, 'PUT', `/api/articles/${slug}`, draft(slug)), 201);
    await json(await api('editor', 'PUT', `/api/articles/${slug}`, scheduled(slug)), 200);
  },
  // Published by someone else, with their draft of the next version pending.
  othersPublishedWithDraft: async (slug: string) => {
    await json(await api(AUTH, 'PUT', `/api/articles/${slug}`, published(slug)), 201);
    await json(await api(AUTH, 'PUT', `/api/articles/${slug}`, draft(slug, 'Next.')), 200);
  },
  othersDraft: async (slug: string) => {
    await json(await api(AUTH, 'PUT', `/api/articles/${slug}`, draft(slug)), 201);
  },
  othersPublished: async (slug: string) => {
    await json(await api(AUTH, 'PUT', `/api/articles/${slug}`, published(slug)), 201);
    await json(await api(AUTH, 'PUT', `/api/articles/${slug}`, published(slug, 'Again.')), 200);
  },
};

interface Case {
  name: string;
  setup: keyof typeof setups;
  act: (actor: Actor, slug: string) => Promise<Response>;
  allowed: Actor[];
  status: number;
}
const ALL: Actor[] = ACTORS;
const PUBLISHERS: Actor[] = ['author', 'editor', 'admin', 'PUBLISH_TOKEN'];
const EDITORS: Actor[] = ['editor', 'admin', 'PUBLISH_TOKEN'];
const ADMINS: Actor[] = ['admin', 'PUBLISH_TOKEN'];
const sync = (actor: Actor, source: string, force = false) =>
  api(actor, 'POST', '/api/sync', {
    files: [{ path: 'content/x.md', source }],
    partial: true,
    force,
  });

const CASES: Case[] = [
  {
    name: 'create a draft',
    setup: 'none',
    act: (a, s) => api(a, 'PUT', `/api/articles/${s}`, draft(s)),
    allowed: ALL,
    status: 201,
  },
  {
    name: 'publish a new article',
    setup: 'none',
    act: (a, s) => api(a, 'PUT', `/api/articles/${s}`, published(s)),
    allowed: PUBLISHERS,
    status: 201,
  },
  {
    name: 'schedule a new article',
    setup: 'none',
    act: (a, s) => api(a, 'PUT', `/api/articles/${s}`, scheduled(s)),
    allowed: PUBLISHERS,
    status: 201,
  },
  {
    name: 'edit their own draft',
    setup: 'ownDraft',
    act: (a, s) => api(a, 'PUT', `/api/articles/${s}`, draft(s, 'Edited.')),
    allowed: ALL,
    status: 200,
  },
  {
    name: 'submit their own draft for review',
    setup: 'ownDraft',
    act: (a, s) => api(a, 'POST', `/api/articles/${s}/review`),
    allowed: ALL,
    status: 200,
  },
  {
    name: 'publish their own draft',
    setup: 'ownDraft',
    act: (a, s) => api(a, 'PUT', `/api/articles/${s}`, published(s)),
    allowed: PUBLISHERS,
    status: 200,
  },
  {
    name: 'discard their own draft',
    setup: 'ownDraft',
    act: (a, s) => api(a, 'DELETE', `/api/articles/${s}`),
    allowed: ALL,
    status: 200,
  },
  {
    name: 'unpublish their own article',
    setup: 'ownPublished',
    act: (a, s) => api(a, 'DELETE', `/api/articles/${s}`),
    allowed: PUBLISHERS,
    status: 200,
  },
  {
    name: 'take their own article back to a draft',
    setup: 'ownPublished',
    act: (a, s) => api(a, 'PUT', `/api/articles/${s}`, draft(s)),
    allowed: PUBLISHERS,
    status: 200,
  },
  {
    name: 'roll back their own article',
    setup: 'ownPublished',
    act: (a, s) => api(a, 'POST', `/api/articles/${s}/rollback`),
    allowed: PUBLISHERS,
    status: 200,
  },
  {
    name: 'take their own scheduled article off the schedule',
    setup: 'ownScheduled',
    act: (a, s) => api(a, 'DELETE', `/api/articles/${s}`),
    allowed: PUBLISHERS,
    status: 200,
  },
  {
    name: 'turn their own scheduled article back into a draft',
    setup: 'ownScheduled',
    act: (a, s) => api(a, 'PUT', `/api/articles/${s}`, draft(s)),
    allowed: PUBLISHERS,
    status: 200,
  },
  {
    name: "sync an unchanged copy of another's article over its pending draft (CLI)",
    setup: 'othersPublishedWithDraft',
    act: (a, s) => sync(a, published(s), true),
    allowed: EDITORS,
    status: 200,
  },
  {
    name: "edit another's draft",
    setup: 'othersDraft',
    act: (a, s) => api(a, 'PUT', `/api/articles/${s}`, draft(s, 'Edited.')),
    allowed: EDITORS,
    status: 200,
  },
  {
    name: "submit another's draft",
    setup: 'othersDraft',
    act: (a, s) => api(a, 'POST', `/api/articles/${s}/review`),
    allowed: EDITORS,
    status: 200,
  },
  {
    name: "publish another's draft",
    setup: 'othersDraft',
    act: (a, s) => api(a, 'PUT', `/api/articles/${s}`, published(s)),
    allowed: EDITORS,
    status: 200,
  },
  {
    name: "unpublish another's article",
    setup: 'othersPublished',
    act: (a, s) => api(a, 'DELETE', `/api/articles/${s}`),
    allowed: EDITORS,
    status: 200,
  },
  {
    name: "roll back another's article",
    setup: 'othersPublished',
    act: (a, s) => api(a, 'POST', `/api/articles/${s}/rollback`),
    allowed: EDITORS,
    status: 200,
  },
  {
    name: 'make a preview link',
    setup: 'ownDraft',
    act: (a, s) => api(a, 'POST', `/api/articles/${s}/preview`),
    allowed: EDITORS,
    status: 201,
  },
  {
    name: 'revoke preview links',
    setup: 'ownDraft',
    act: (a, s) => api(a, 'DELETE', `/api/articles/${s}/preview`),
    allowed: EDITORS,
    status: 200,
  },
  {
    name: 'sync a new draft file (CLI)',
    setup: 'none',
    act: (a, s) => sync(a, draft(s)),
    allowed: ALL,
    status: 200,
  },
  {
    name: 'sync a new published file (CLI)',
    setup: 'none',
    act: (a, s) => sync(a, published(s)),
    allowed: PUBLISHERS,
    status: 200,
  },
  {
    name: "sync over another's article (CLI)",
    setup: 'othersPublished',
    act: (a, s) => sync(a, published(s, 'File.'), true),
    allowed: EDITORS,
    status: 200,
  },
  {
    name: 'add a person',
    setup: 'none',
    act: (a) =>
      api(a, 'POST', '/api/people', {
        name: 'New',
        email: `n-${crypto.randomUUID()}@people.test`,
        role: 'author',
      }),
    allowed: ADMINS,
    status: 201,
  },
  {
    name: "change someone's role",
    setup: 'none',
    act: async (a) =>
      api(a, 'PATCH', `/api/people/${(await newPerson('author')).id}`, { role: 'editor' }),
    allowed: ADMINS,
    status: 200,
  },
  {
    name: 'deactivate a person',
    setup: 'none',
    act: async (a) => api(a, 'DELETE', `/api/people/${(await newPerson('author')).id}`),
    allowed: ADMINS,
    status: 200,
  },
  {
    name: 'invite a person',
    setup: 'none',
    act: async (a) => api(a, 'POST', `/api/people/${(await newPerson('author')).id}/invitations`),
    allowed: ADMINS,
    status: 201,
  },
  {
    name: 'make a token for someone else',
    setup: 'none',
    act: async (a) =>
      api(a, 'POST', '/api/tokens', { person: (await newPerson('author')).id, scopes: ['read'] }),
    allowed: ADMINS,
    status: 201,
  },
  {
    name: 'list people',
    setup: 'none',
    act: (a) => api(a, 'GET', '/api/people'),
    allowed: ADMINS,
    status: 200,
  },
  {
    name: 'read the audit trail',
    setup: 'none',
    act: (a) => api(a, 'GET', '/api/audit'),
    allowed: EDITORS,
    status: 200,
  },
];

let slugs = 0;
describe('the role matrix', () => {
  const rows = CASES.flatMap((c) => ACTORS.map((actor) => ({ ...c, actor })));
  it(`has ${CASES.length} operations × ${ACTORS.length} credentials = ${rows.length} cases`, () => {
    expect(rows.length).toBe(CASES.length * ACTORS.length);
  });
  for (const row of rows) {
    const allowed = row.allowed.includes(row.actor);
    it(`${row.actor}: ${row.name} → ${allowed ? row.status : 403}`, async () => {
      slugs += 1;
      const slug = `matrix-${slugs}-${row.actor.toLowerCase().replace('_', '-')}`;
      await setups[row.setup](slug, row.actor);
      const res = await row.act(row.actor, slug);
      const text = await res.text();
      expect(res.status, text).toBe(allowed ? row.status : 403);
      if (!allowed) {
        const problem = JSON.parse(text) as { title: string; detail: string };
        expect(res.headers.get('Content-Type')).toBe('application/problem+json');
        expect(problem.title).toBe('Forbidden');
        // The refusal names the role, or the scope the credential lacks.
        expect(problem.detail).toMatch(new RegExp(`${row.actor}|scope`));
      }
    });
  }
});

describe('people and their credentials', () => {
  it('lets anyone make a token for themselves, never beyond their role', async () => {
    for (const role of ROLES) {
      const id = people.get(role)?.id;
      await json(await api(role, 'POST', '/api/tokens', { person: id, scopes: ['read'] }), 201);
    }
    const refused = await json<{ detail: string }>(
      await api('contributor', 'POST', '/api/tokens', {
        person: people.get('contributor')?.id,
        scopes: ['publish'],
      }),
      403,
    );
    expect(refused.detail).toBe('A contributor may not hold the scope publish.');
  });

  it("cuts a token's scopes to the person's role at each use", async () => {
    const { id } = await newPerson('editor');
    const { token } = await json<{ token: string }>(
      await api(AUTH, 'POST', '/api/tokens', { person: id, scopes: ['read', 'draft', 'publish'] }),
      201,
    );
    const bearer = { Authorization: `Bearer ${token}` };
    const slug = 'demoted-editor';
    await json(await api(bearer, 'PUT', `/api/articles/${slug}`, published(slug)), 201);
    await json(await api(AUTH, 'PATCH', `/api/people/${id}`, { role: 'contributor' }), 200);
    const session = await json<{ scopes: string[]; role: string }>(
      await api(bearer, 'GET', '/api/session'),
      200,
    );
    expect(session).toMatchObject({ role: 'contributor', scopes: ['read', 'draft'] });
    const refused = await json<{ detail: string }>(
      await api(bearer, 'PUT', `/api/articles/${slug}`, published(slug, 'Again.')),
      403,
    );
    expect(refused.detail).toContain('A contributor may not publish');
  });

  it('stops a revoked token and a deactivated person at the next request', async () => {
    const { id } = await newPerson('author');
    const make = async () =>
      await json<{ id: string; token: string }>(
        await api(AUTH, 'POST', '/api/tokens', { person: id, scopes: ['read'] }),
        201,
      );
    const one = await make();
    const two = await make();
    const as = (t: string) => ({ Authorization: `Bearer ${t}` });
    expect((await api(as(one.token), 'GET', '/api/session')).status).toBe(200);
    await json(await api(AUTH, 'DELETE', `/api/tokens/${one.id}`), 200);
    expect((await api(as(one.token), 'GET', '/api/session')).status).toBe(401);
    expect((await api(as(two.token), 'GET', '/api/session')).status).toBe(200);
    const person = await json<{ active: boolean }>(
      await api(AUTH, 'DELETE', `/api/people/${id}`),
      200,
    );
    expect(person.active).toBe(false);
    expect((await api(as(two.token), 'GET', '/api/session')).status).toBe(401);
    // Deactivated, not deleted: still listed, with their name.
    const listed = await json<{ people: { id: string; active: boolean }[] }>(
      await api(AUTH, 'GET', '/api/people'),
      200,
    );
    expect(listed.people.find((p) => p.id === id)).toMatchObject({ active: false });
  });

  it('never lets a token mint one that outlives it, nor a read-only token change credentials', async () => {
    const { id } = await newPerson('author');
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const later = new Date(Date.now() + 7_200_000).toISOString();
    const short = await json<{ id: string; token: string }>(
      await api(AUTH, 'POST', '/api/tokens', {
        person: id,
        scopes: ['read', 'draft'],
        expiresAt: soon,
      }),
      201,
    );
    const as = { Authorization: `Bearer ${short.token}` };
    for (const expiresAt of [later, undefined]) {
      const refused = await json<{ detail: string }>(
        await api(as, 'POST', '/api/tokens', {
          person: id,
          scopes: ['read'],
          ...(expiresAt ? { expiresAt } : {}),
        }),
        403,
      );
      expect(refused.detail).toMatch(/^A token made with this token must expire by /);
    }
    const within = new Date(Date.now() + 1_800_000).toISOString();
    await json(
      await api(as, 'POST', '/api/tokens', { person: id, scopes: ['read'], expiresAt: within }),
      201,
    );
    const readOnly = await json<{ token: string }>(
      await api(AUTH, 'POST', '/api/tokens', { person: id, scopes: ['read'] }),
      201,
    );
    const refused = await json<{ detail: string }>(
      await api({ Authorization: `Bearer ${readOnly.token}` }, 'DELETE', `/api/tokens/${short.id}`),
      403,
    );
    expect(refused.detail).toBe('This credential is read-only: it may not change credentials.');
  });

  it('refuses a write a browser sends from another site, whatever credential rides along', async () => {
    const res = await api({ ...AUTH, Origin: 'https://evil.example' }, 'POST', '/api/people', {
      name: 'X',
      email: 'x@people.test',
      role: 'admin',
    });
    expect(res.status).toBe(403);
  });

  it('refuses an expiry in the past, an unknown scope and a duplicate email with a clear answer', async () => {
    const { id, email } = await newPerson('author');
    const past = await json<{ errors: { field: string }[] }>(
      await api(AUTH, 'POST', '/api/tokens', {
        person: id,
        scopes: ['read'],
        expiresAt: '2001-01-01T00:00:00Z',
      }),
      422,
    );
    expect(past.errors.map((e) => e.field)).toEqual(['expiresAt']);
    const unparsable = await json<{ errors: { field: string }[] }>(
      await api(AUTH, 'POST', '/api/tokens', {
        person: id,
        scopes: ['read'],
        expiresAt: '2027-01-31T12:00:00 +01',
      }),
      422,
    );
    expect(unparsable.errors.map((e) => e.field)).toEqual(['expiresAt']);
    const scope = await json<{ errors: { field: string }[] }>(
      await api(AUTH, 'POST', '/api/tokens', { person: id, scopes: ['everything'] }),
      422,
    );
    expect(scope.errors.map((e) => e.field)).toEqual(['scopes.0']);
    await json(
      await api(AUTH, 'POST', '/api/people', { name: 'Twin', email, role: 'author' }),
      409,
    );
  });

  it('keeps the last active admin', async () => {
    const all = await json<{ people: { id: string; role: string; active: boolean }[] }>(
      await api(AUTH, 'GET', '/api/people'),
      200,
    );
    const admins = all.people.filter((p) => p.role === 'admin' && p.active);
    for (const admin of admins.slice(1))
      await json(await api(AUTH, 'DELETE', `/api/people/${admin.id}`), 200);
    const last = admins[0];
    const refused = await json<{ detail: string }>(
      await api(AUTH, 'DELETE', `/api/people/${last?.id}`),
      409,
    );
    expect(refused.detail).toBe('This is the last active admin: make another admin first.');
  });
});

describe('the audit trail', () => {
  it('lists every write with its actor, and each revision shows its author', async () => {
    const { id, email } = await newPerson('author');
    const { token } = await json<{ token: string }>(
      await api(AUTH, 'POST', '/api/tokens', { person: id, scopes: ['read', 'draft', 'publish'] }),
      201,
    );
    const as = { Authorization: `Bearer ${token}` };
    const slug = 'audited-article';
    await json(await api(as, 'PUT', `/api/articles/${slug}`, draft(slug)), 201);
    await json(await api(as, 'PUT', `/api/articles/${slug}`, published(slug)), 200);
    await json(await api(AUTH, 'DELETE', `/api/articles/${slug}`), 200);
    const { entries } = await json<{
      entries: {
        person: { id: string; email: string } | null;
        via: string;
        operation: string;
        revision: number | null;
      }[];
    }>(await api(AUTH, 'GET', `/api/audit?slug=${slug}`), 200);
    expect(entries.map((e) => [e.operation, e.person?.email ?? e.via, e.revision])).toEqual([
      ['unpublish', 'PUBLISH_TOKEN', 2],
      ['publish', email, 2],
      ['draft', email, 1],
    ]);
    const byPerson = await json<{ entries: unknown[] }>(
      await api(AUTH, 'GET', `/api/audit?person=${id}`),
      200,
    );
    expect(byPerson.entries.length).toBeGreaterThanOrEqual(2);
    const { revisions } = await json<{
      revisions: { revision: number; author: { id: string } | null; via: string }[];
    }>(await api(AUTH, 'GET', `/api/articles/${slug}/revisions`), 200);
    expect(revisions.map((r) => [r.revision, r.author?.id ?? null])).toEqual([
      [2, id],
      [1, id],
    ]);
  });

  it('refuses a sync with any refused article, writing nothing and naming each', async () => {
    const res = await api('contributor', 'POST', '/api/sync', {
      files: [
        { path: 'content/a.md', source: draft('sync-ok-draft') },
        { path: 'content/b.md', source: published('sync-refused-one') },
        { path: 'content/c.md', source: published('sync-refused-two') },
      ],
      partial: true,
    });
    const problem = await json<{ refused: { slug: string }[] }>(res, 403);
    expect(problem.refused.map((r) => r.slug).sort()).toEqual([
      'sync-refused-one',
      'sync-refused-two',
    ]);
    expect((await api(AUTH, 'GET', '/api/articles/sync-ok-draft')).status).toBe(404);
  });
});

describe('Cloudflare Access', () => {
  const sign = async (
    claims: Record<string, unknown>,
    options: { aud?: string; iss?: string; exp?: string | number } = {},
  ) => {
    const key = await importJWK(inject('accessPrivateJwk'), 'RS256');
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuer(options.iss ?? ACCESS_TEAM)
      .setAudience(options.aud ?? ACCESS_AUD)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '5m')
      .sign(key);
  };
  const asAccess = async (jwt: string) =>
    publisherFetch('/api/session', { headers: { 'Cf-Access-Jwt-Assertion': jwt } });

  it('lets in the person the verified email names', async () => {
    const email = people.get('editor')?.email ?? '';
    const res = await asAccess(await sign({ email }));
    const session = await json<{ person: { email: string }; via: string }>(res, 200);
    expect(session).toMatchObject({ person: { email }, via: 'access' });
  });

  it('refuses a wrong audience, a wrong issuer, an expired or tampered assertion and an unknown email', async () => {
    const email = people.get('editor')?.email ?? '';
    const good = await sign({ email });
    const [header, payload, signature] = good.split('.');
    const claims = JSON.parse(atob((payload ?? '').replace(/-/g, '+').replace(/_/g, '/')));
    const forged = btoa(JSON.stringify({ ...claims, email: people.get('admin')?.email }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    const cases: [string, string][] = [
      ['wrong audience', await sign({ email }, { aud: 'another-app' })],
      ['wrong issuer', await sign({ email }, { iss: 'https://evil.cloudflareaccess.com' })],
      ['expired', await sign({ email }, { exp: Math.floor(Date.parse('2001-01-01') / 1000) })],
      ['tampered', `${header}.${forged}.${signature}`],
      ['unknown email', await sign({ email: 'stranger@people.test' })],
    ];
    for (const [what, jwt] of cases) {
      const res = await asAccess(jwt);
      expect(res.status, what).toBe(401);
    }
  });
});
