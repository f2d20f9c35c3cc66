/**
 * Roles, scopes and what each may do to an article: pure, so the Durable Object decides with it
 * inside the write's critical section and the tests can enumerate it.
 *
 * Roles nest (each includes the one before): a contributor writes and edits their own drafts and
 * submits them for review; an author also publishes, schedules and unpublishes their own
 * articles; an editor does all of that for every article and manages previews; an admin also
 * manages people, tokens and the site's settings. "Own" means created by that person.
 */
import { ROLES, type Role, SCOPES, type Scope } from '../api-types';

/** The scopes a role can hold; a token's scopes are cut to these at each use. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  contributor: ['read', 'draft'],
  author: ['read', 'draft', 'publish'],
  editor: ['read', 'draft', 'publish'],
  admin: SCOPES,
};

/** Whether `role` is `least` or above it. */
export const atLeast = (role: Role, least: Role): boolean =>
  ROLES.indexOf(role) >= ROLES.indexOf(least);

/** `asked` cut to what `role` may hold (all of the role's scopes when nothing is asked). */
export function scopesFor(role: Role, asked?: readonly Scope[]): Scope[] {
  const allowed = ROLE_SCOPES[role];
  return asked ? SCOPES.filter((s) => asked.includes(s) && allowed.includes(s)) : [...allowed];
}

/** Who is writing, as the Durable Object resolved it for this write. */
export interface Principal {
  /** The person (null: the bootstrap credential, PUBLISH_TOKEN). */
  person: { id: string; email: string; name: string; role: Role; author: string | null } | null;
  role: Role;
  scopes: Scope[];
  /** The credential, as the audit names it: `PUBLISH_TOKEN`, `token <id>`, `session <id>`, `access`. */
  via: string;
  /** When a personal token used as the credential expires (a token it mints may not outlive it). */
  expiresAt?: number | null;
}

/** What a write does to one article. */
export type ArticleAction =
  | 'draft'
  | 'submit'
  | 'discard'
  | 'publish'
  | 'schedule'
  | 'unpublish'
  | 'rollback'
  | 'preview';

const NEEDS: Record<ArticleAction, { scope: Scope; role: Role; verb: string }> = {
  draft: { scope: 'draft', role: 'contributor', verb: 'write drafts' },
  submit: { scope: 'draft', role: 'contributor', verb: 'submit drafts for review' },
  discard: { scope: 'draft', role: 'contributor', verb: 'discard drafts' },
  publish: { scope: 'publish', role: 'author', verb: 'publish' },
  schedule: { scope: 'publish', role: 'author', verb: 'schedule' },
  unpublish: { scope: 'publish', role: 'author', verb: 'unpublish' },
  rollback: { scope: 'publish', role: 'author', verb: 'roll back' },
  preview: { scope: 'publish', role: 'editor', verb: 'manage previews' },
};

/** The article as authorization sees it: who created it, and whether it exists. */
export interface Ownership {
  exists: boolean;
  /** The person who created it (null: made with PUBLISH_TOKEN or before people existed). */
  owner: string | null;
}

/** "A contributor", "An author"…: how a refusal names a role. */
export const aRole = (role: Role) => `${role === 'contributor' ? 'A' : 'An'} ${role}`;

/**
 * Null when `who` may do `action` to the article, else why not (the 403's detail, naming what the
 * role may not do).
 */
export function refusal(
  who: Principal,
  action: ArticleAction,
  slug: string,
  article: Ownership,
): string | null {
  const need = NEEDS[action];
  if (!atLeast(who.role, need.role)) {
    return `${aRole(who.role)} may not ${need.verb} ("${slug}"); ask ${
      need.role === 'editor' ? 'an editor' : 'an author or an editor'
    }.`;
  }
  if (!who.scopes.includes(need.scope)) {
    return `This credential lacks the "${need.scope}" scope needed to ${need.verb} ("${slug}").`;
  }
  const own = !article.exists || (who.person !== null && article.owner === who.person.id);
  if (!own && !atLeast(who.role, 'editor')) {
    return `${aRole(who.role)} may only change their own articles; "${slug}" was created by someone else.`;
  }
  return null;
}

/**
 * The action of storing `record` over an article: a draft over a published or scheduled one takes
 * it down (or off the schedule), which only those who may unpublish may do.
 */
export function putAction(
  record: { draft: boolean; publishAt?: string | undefined },
  live: boolean,
  now: number,
): ArticleAction {
  if (record.draft) return live ? 'unpublish' : 'draft';
  if (record.publishAt && Date.parse(record.publishAt) > now) return 'schedule';
  return 'publish';
}
