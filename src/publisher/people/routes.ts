/**
 * The people API: /api/session, /api/people (and a person's invitations, sessions and passkeys),
 * /api/tokens, /api/audit. Bodies are validated here (valibot, a 422 listing each field); every
 * decision (who may do what) is the Durable Object's, answered as problem+json when refused.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { ProblemError } from '../../http/problem';
import { invalid } from '../api/validators';
import { ROLES, SCOPES } from '../api-types';
import { newSecret, sha256Hex } from '../auth';
import { type PublisherContext, type PublisherEnv, siteOrigin } from '../context';
import { TOKEN_PREFIX } from './authenticate';
import type { Answer } from './desk';

const TITLES = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
} as const;

/** The value of a Durable Object answer, or its refusal thrown as problem+json. */
export function answered<T>(answer: Answer<T>): T {
  if (answer.ok) return answer.value;
  throw new ProblemError(answer.status, TITLES[answer.status], answer.detail);
}

const Name = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(200, 'at most 200 characters'),
);
const Email = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.email('must be an email address'),
  v.maxLength(320),
);
const Role = v.picklist(ROLES, `must be one of ${ROLES.join(', ')}`);
const Author = v.nullable(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)));
const NewPerson = v.strictObject({
  name: Name,
  email: Email,
  role: Role,
  author: v.optional(Author),
});
const Patch = v.strictObject({
  name: v.optional(Name),
  email: v.optional(Email),
  role: v.optional(Role),
  author: v.optional(Author),
  active: v.optional(v.boolean()),
});
const Instant = v.pipe(
  v.string(),
  v.isoTimestamp('must be an RFC 3339 instant, such as 2027-01-31T12:00:00Z'),
  v.transform((text) => Date.parse(text)),
  v.check(
    (ms: number) => Number.isFinite(ms),
    'must be an RFC 3339 instant, such as 2027-01-31T12:00:00Z',
  ),
);
const NewToken = v.strictObject({
  person: v.pipe(v.string(), v.minLength(1)),
  scopes: v.pipe(
    v.array(v.picklist(SCOPES, `must be among ${SCOPES.join(', ')}`)),
    v.minLength(1, 'name at least one scope'),
  ),
  expiresAt: v.optional(v.nullable(Instant)),
});

/** The JSON body, validated by `schema`, or a 422 naming each field. */
async function bodyOf<T extends v.GenericSchema>(
  c: PublisherContext,
  schema: T,
): Promise<v.InferOutput<T>> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw invalid([{ field: 'body', message: 'is not valid JSON' }], 'The request');
  }
  const parsed = v.safeParse(schema, json);
  if (parsed.success) return parsed.output;
  throw invalid(
    parsed.issues.map((issue) => ({
      field: v.getDotPath(issue) ?? 'body',
      message: issue.message,
    })),
    'The request',
  );
}

const people = new Hono<PublisherEnv>();

people.get('/session', (c) => {
  const { person, role, scopes, via } = c.var.principal;
  return c.json({ person: person && { ...person, role }, role, scopes, via });
});

people.get('/people', async (c) =>
  c.json({ people: answered(await c.var.site.listPeople(c.var.caller)) }),
);

people.post('/people', async (c) => {
  const fields = await bodyOf(c, NewPerson);
  const person = answered(
    await c.var.site.createPerson(c.var.caller, { ...fields, author: fields.author ?? null }),
  );
  return c.json(person, 201, { Location: `/api/people/${person.id}` });
});

people.get('/people/:id', async (c) =>
  c.json(answered(await c.var.site.getPerson(c.var.caller, c.req.param('id')))),
);

people.patch('/people/:id', async (c) => {
  const patch = await bodyOf(c, Patch);
  return c.json(answered(await c.var.site.updatePerson(c.var.caller, c.req.param('id'), patch)));
});

// People are deactivated, never deleted: their revisions and audit entries keep their name.
people.delete('/people/:id', async (c) =>
  c.json(
    answered(await c.var.site.updatePerson(c.var.caller, c.req.param('id'), { active: false })),
  ),
);

/** An invitation: a one-time link the admin copies to the person (kvpress sends no email). */
people.post('/people/:id/invitations', async (c) => {
  const secret = newSecret();
  const { expiresAt } = answered(
    await c.var.site.createLink(
      c.var.caller,
      c.req.param('id'),
      'invitation',
      await sha256Hex(secret),
    ),
  );
  // The secret rides in the fragment: browsers never send it, so no log keeps it.
  return c.json({ url: `${siteOrigin(c)}/admin/invitation#${secret}`, expiresAt }, 201);
});

/** npm start's one-click admin sign-in; absent unless LOCAL_SIGN_IN is on (never deployed). */
people.post('/people/:id/sign-in-links', async (c) => {
  if (!c.var.config.localSignIn)
    throw new ProblemError(404, 'Not Found', 'Nothing is published at this path.');
  const secret = newSecret();
  const { expiresAt } = answered(
    await c.var.site.createLink(c.var.caller, c.req.param('id'), 'local', await sha256Hex(secret)),
  );
  return c.json({ url: `${siteOrigin(c)}/admin/sign-in/link#${secret}`, expiresAt }, 201);
});

people.get('/people/:id/sessions', async (c) =>
  c.json({ sessions: answered(await c.var.site.listSessions(c.var.caller, c.req.param('id'))) }),
);
people.delete('/people/:id/sessions/:session', async (c) =>
  c.json(
    answered(
      await c.var.site.revokeSession(c.var.caller, c.req.param('id'), c.req.param('session')),
    ),
  ),
);
people.get('/people/:id/passkeys', async (c) =>
  c.json({ passkeys: answered(await c.var.site.listPasskeys(c.var.caller, c.req.param('id'))) }),
);
people.delete('/people/:id/passkeys/:passkey', async (c) =>
  c.json(
    answered(
      await c.var.site.removePasskey(c.var.caller, c.req.param('id'), c.req.param('passkey')),
    ),
  ),
);

people.get('/tokens', async (c) =>
  c.json({ tokens: answered(await c.var.site.listTokens(c.var.caller, c.req.query('person'))) }),
);

people.post('/tokens', async (c) => {
  const request = await bodyOf(c, NewToken);
  if (
    request.expiresAt !== undefined &&
    request.expiresAt !== null &&
    request.expiresAt <= Date.now()
  ) {
    throw invalid([{ field: 'expiresAt', message: 'must be in the future' }], 'The request');
  }
  const token = newSecret(TOKEN_PREFIX);
  const info = answered(
    await c.var.site.createToken(c.var.caller, {
      person: request.person,
      scopes: [...new Set(request.scopes)],
      hash: await sha256Hex(token),
      expiresAt: request.expiresAt ?? null,
    }),
  );
  // Shown this once: only its hash is kept.
  return c.json({ ...info, token }, 201, { Location: `/api/tokens/${info.id}` });
});

people.delete('/tokens/:id', async (c) =>
  c.json(answered(await c.var.site.revokeToken(c.var.caller, c.req.param('id')))),
);

people.get('/audit', async (c) => {
  const number = (name: string) => {
    const text = c.req.query(name);
    if (text === undefined) return undefined;
    if (!/^\d{1,12}$/.test(text))
      throw invalid([{ field: name, message: 'must be a whole number' }], 'The request');
    return Number(text);
  };
  const filter = {
    person: c.req.query('person'),
    slug: c.req.query('slug'),
    before: number('before'),
    limit: number('limit'),
  };
  return c.json({ entries: answered(await c.var.site.readAudit(c.var.caller, filter)) });
});

export { people as peopleRoutes };
