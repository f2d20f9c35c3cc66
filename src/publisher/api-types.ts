/**
 * The publisher's types as its clients see them (the API's answers, the CLI's report): plain
 * data and constants, no runtime API, so Node scripts can import them too.
 */
import type { ArticleRecord } from '../articles/schema';

/** PUBLISH_TOKEN shorter than this is refused: a short bearer token can be guessed. */
export const MIN_TOKEN_LENGTH = 32;

/** Where an article's current state came from: a `content/` file (CLI sync) or the API. */
export type Origin = 'file' | 'api';

export interface Revision {
  revision: number;
  hash: string;
  origin: Origin;
  createdAt: string;
  /** The person who wrote it (null: PUBLISH_TOKEN, the schedule, or before people existed). */
  author: { id: string; name: string } | null;
  /** The credential it was written with (`PUBLISH_TOKEN`, `token <id>`…), when recorded. */
  via: string | null;
}

/** Where KV stands relative to the last commit. */
export interface ProjectionState {
  /** The committed version (the index head's hash); 'unpublished' before the first publish. */
  committed: string;
  /** The version the KV pointer names (null: never written). */
  projected: string | null;
  /** True when KV holds everything committed: readers will see it within the freshness bound. */
  complete: boolean;
  /** KV writes still queued. */
  pending: number;
  /** Why the last attempt failed, while it is being retried. */
  lastError?: string;
  /** When the alarm retries (ISO 8601), while incomplete. */
  retryAt?: string;
  /** What the last drain wrote to KV: keys, and bytes of keys and values (UTF-16 code units). */
  written: { keys: number; bytes: number };
}

/** What a write did, for the API's answer and the CLI's report. */
export type WriteStatus =
  | 'added'
  | 'changed'
  | 'unchanged'
  | 'removed'
  | 'draft'
  | 'in review'
  | 'scheduled';

/** An article waiting for its `publishAt`: the publisher's alarm publishes it then. */
export interface Scheduled {
  slug: string;
  hash: string;
  publishAt: string;
}

export type WriteResult =
  | {
      ok: true;
      slug: string;
      status: WriteStatus;
      /** The published revision's hash after the write (undefined: not published). */
      hash: string | undefined;
      /** The current revision's hash after the write (pending or published): the next If-Match. */
      current?: string | undefined;
      /** The article had no current revision before (RFC 9110 §9.3.4: 201 for a PUT). */
      created: boolean;
      version: string;
      projection: ProjectionState;
      /** How much the storage grew in the write's transaction (bytes, whole pages). */
      committedBytes: number;
    }
  | { ok: false; status: 401 | 403 | 404 | 409 | 412; detail: string; etag?: string | undefined };

/** One file of a `content/` sync: the record built from it and its path. */
export interface FileRecord {
  path: string;
  record: ArticleRecord;
  /** The file's text, kept with its revision (GET with Accept: text/markdown answers it). */
  source?: string;
}

export interface SyncPlan {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
  drafts: string[];
  /** Files whose `publishAt` is still ahead: stored, published by the alarm at that instant. */
  scheduled: string[];
  /** Articles last changed through the API that the files would overwrite or retract. */
  conflicts: { slug: string; path: string | null; reason: string }[];
}

export interface SyncResult {
  plan: SyncPlan;
  applied: boolean;
  version: string;
  projection: ProjectionState;
}

export interface ArticleState {
  slug: string;
  origin: Origin;
  path: string | null;
  published: ArticleRecord | null;
  /** The pending revision: a draft, or a scheduled one (then `publishAt` says when). */
  draft: ArticleRecord | null;
  publishAt: string | null;
  /** The document the current revision was made from, when it came as one (Markdown). */
  source: string | null;
  /** Its pending draft is submitted for review. */
  inReview: boolean;
  /** The person who created it (null: none recorded). */
  owner: string | null;
}

export interface Settings {
  /** Seconds a superseded KV key is kept after the pointer stops naming it. */
  gcGraceSeconds: number;
  /**
   * Least time between two writes of the pointer: KV allows one write per second to a key.
   * Only the tests lower it (to 0), so that each write is visible at once.
   */
  pointerIntervalMs: number;
  /** First webhook retry delay (ms), doubling per attempt; only the tests lower it. */
  webhookRetryMs: number;
}

/** The roles, each including the one before (people/roles.ts says what each may do). */
export const ROLES = ['contributor', 'author', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a credential may be used for; never more than the person's role allows. */
export const SCOPES = ['read', 'draft', 'publish', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** An article's editorial state, as the API lists it. */
export type ArticleStatus = 'draft' | 'in review' | 'scheduled' | 'published';

/** A person who writes or edits, as the API answers (no credential in it). */
export interface Person {
  id: string;
  name: string;
  email: string;
  role: Role;
  /** The byline name (an `authors` entry) they write as. */
  author: string | null;
  active: boolean;
  createdAt: string;
}

/** A personal API token, without its secret (shown once, when made). */
export interface TokenInfo {
  id: string;
  person: string;
  scopes: Scope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A signed-in browser session. */
export interface SessionInfo {
  id: string;
  person: string;
  via: 'passkey' | 'access' | 'local';
  createdAt: string;
  expiresAt: string;
  address: string;
}

/** One write, as the audit trail keeps it. */
export interface AuditEntry {
  seq: number;
  at: string;
  /** Null for the bootstrap credential (then `via` is `PUBLISH_TOKEN`). */
  person: { id: string; email: string } | null;
  via: string;
  operation: string;
  slug: string | null;
  revision: number | null;
  address: string;
}
