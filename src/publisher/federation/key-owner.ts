/**
 * Which actor a signature's key speaks for, as Mastodon decides it
 * (ActivityPub::FetchRemoteKeyService): the key's own document is fetched from the key id; when
 * it is the actor itself, the actor is its owner; when it is a key document, its claimed owner
 * is fetched from the owner's own URL, and only an owner whose document lists that key id
 * (`publicKey` or `assertionMethod`) owns it. A key document's `owner` alone proves nothing:
 * anyone can publish a key that names someone else.
 *
 * Documents are read as plain ActivityStreams JSON (the compacted names every server sends),
 * as Mastodon reads them: no JSON-LD processing, so no `@context` is ever fetched. Only what was
 * verified is cached (a key with its proven owner), an hour; a failure is not cached, so a
 * forged key never stands in for a real one.
 */
import { CryptographicKey } from '@fedify/vocab';
import { importMultibaseKey, importPem } from '@fedify/vocab-runtime';
import * as v from 'valibot';
import { describeError } from '../../describe-error';
import { fetchDocument, HostBusyError, RemoteError } from './remote';

const KEY_TTL_MS = 3_600_000;
const ACTOR_TTL_MS = 300_000;
const CACHE_ENTRIES = 10_000;

/** A key entry in a document: an id, or an object with an id and maybe its material. */
const KeyEntry = v.union([
  v.string(),
  v.looseObject({
    id: v.string(),
    owner: v.optional(v.string()),
    controller: v.optional(v.string()),
    publicKeyPem: v.optional(v.string()),
    publicKeyMultibase: v.optional(v.string()),
  }),
]);
type KeyEntry = v.InferOutput<typeof KeyEntry>;
const OneOrMany = v.optional(v.union([KeyEntry, v.array(v.unknown())]));

/** An actor's or a key's document, as far as key ownership reads it. */
const Document = v.looseObject({
  id: v.string(),
  type: v.optional(v.union([v.string(), v.array(v.string())])),
  inbox: v.optional(v.unknown()),
  owner: v.optional(v.string()),
  controller: v.optional(v.string()),
  publicKeyPem: v.optional(v.string()),
  publicKeyMultibase: v.optional(v.string()),
  publicKey: OneOrMany,
  assertionMethod: OneOrMany,
});
type Document = v.InferOutput<typeof Document>;

/** The key entries an actor lists (publicKey and assertionMethod), malformed ones left out. */
function listedKeys(actor: Document): KeyEntry[] {
  const entries: unknown[] = [];
  for (const field of [actor.publicKey, actor.assertionMethod]) {
    if (Array.isArray(field)) entries.push(...field);
    else if (field !== undefined) entries.push(field);
  }
  return entries.flatMap((entry) => {
    const parsed = v.safeParse(KeyEntry, entry);
    return parsed.success ? [parsed.output] : [];
  });
}
const entryId = (entry: KeyEntry) => (typeof entry === 'string' ? entry : entry.id);
const isActor = (doc: Document) => doc.inbox !== undefined;
const withoutFragment = (url: string) => url.replace(/#.*$/, '');

/** A key proven to be its owner's. */
export interface OwnedKey {
  key: CryptographicKey;
  owner: string;
}

/** Why a key could not be proven: `status` when its server answered one (410: gone). */
export class KeyOwnershipError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly busy = false,
  ) {
    super(message);
    this.name = 'KeyOwnershipError';
  }
}

export interface KeyOwnerOptions {
  allowPrivate: boolean;
  sign?: (request: Request) => Promise<Request>;
  now?: number;
}

const verified = new Map<string, { owned: OwnedKey; until: number }>();
/** Actor documents as their own servers served them: proof of what an actor says of itself. */
const actors = new Map<string, { doc: Document; until: number }>();

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (cache.size >= CACHE_ENTRIES) cache.clear();
  cache.set(key, value);
}

/** Forgets a verified key (its signature failed: the key may have been rotated). */
export function forgetKey(keyId: string): void {
  verified.delete(keyId);
}

/** Whether `keyId` is in the cache of verified keys (then a failure may mean a rotation). */
export function isKeyCached(keyId: string, now = Date.now()): boolean {
  const hit = verified.get(keyId);
  return hit !== undefined && hit.until > now;
}

async function load(url: string, options: KeyOwnerOptions): Promise<Document> {
  let json: unknown;
  try {
    json = await fetchDocument(url, options);
  } catch (error) {
    if (error instanceof HostBusyError) throw new KeyOwnershipError(error.message, undefined, true);
    const status = error instanceof RemoteError ? error.status : undefined;
    throw new KeyOwnershipError(describeError(error), status);
  }
  const parsed = v.safeParse(Document, json);
  if (!parsed.success) throw new KeyOwnershipError(`${url} is not an ActivityStreams object`);
  return parsed.output;
}

/** The actor at `id`, served by its own server under that id (cached a few minutes). */
export async function fetchActor(id: string, options: KeyOwnerOptions): Promise<Document> {
  const now = options.now ?? Date.now();
  const hit = actors.get(id);
  if (hit && hit.until > now) return hit.doc;
  const doc = await load(id, options);
  if (doc.id !== id) throw new KeyOwnershipError(`${id} serves a document whose id is ${doc.id}`);
  if (!isActor(doc)) throw new KeyOwnershipError(`${id} is not an actor (it has no inbox)`);
  remember(actors, id, { doc, until: now + ACTOR_TTL_MS });
  return doc;
}

async function importKey(entry: { publicKeyPem?: string; publicKeyMultibase?: string }) {
  try {
    if (entry.publicKeyPem) return await importPem(entry.publicKeyPem);
    if (entry.publicKeyMultibase) return await importMultibaseKey(entry.publicKeyMultibase);
  } catch (error) {
    throw new KeyOwnershipError(`the key cannot be read: ${describeError(error)}`);
  }
  throw new KeyOwnershipError('the key document has no publicKeyPem or publicKeyMultibase');
}

/** The key `keyId` and the actor that owns it, proven by the owner's own document. */
export async function ownedKey(keyId: string, options: KeyOwnerOptions): Promise<OwnedKey> {
  const now = options.now ?? Date.now();
  const hit = verified.get(keyId);
  if (hit && hit.until > now) return hit.owned;

  const doc = await load(keyId, options);
  let owner: Document;
  let material: KeyEntry | Document | undefined;
  if (isActor(doc)) {
    // The key id names a place in the actor's own document (#main-key).
    if (doc.id !== withoutFragment(keyId)) {
      throw new KeyOwnershipError(`${keyId} is served by an actor whose id is ${doc.id}`);
    }
    owner = doc;
  } else {
    if (doc.id !== keyId)
      throw new KeyOwnershipError(`${keyId} serves a key whose id is ${doc.id}`);
    const claimed = doc.owner ?? doc.controller;
    if (!claimed) throw new KeyOwnershipError(`the key ${keyId} names no owner`);
    owner = await fetchActor(claimed, options);
    material = doc;
  }
  const listed = listedKeys(owner).find((entry) => entryId(entry) === keyId);
  if (!listed) {
    throw new KeyOwnershipError(`the actor ${owner.id} does not list the key ${keyId} as its own`);
  }
  // The owner's own copy of the key, when it carries one; else the key's own document's.
  if (typeof listed !== 'string' && (listed.publicKeyPem || listed.publicKeyMultibase)) {
    material = listed;
  }
  if (!material || typeof material === 'string') {
    throw new KeyOwnershipError(`the actor ${owner.id} lists ${keyId} without its key`);
  }
  const publicKey = await importKey(material);
  const owned = {
    key: new CryptographicKey({ id: new URL(keyId), owner: new URL(owner.id), publicKey }),
    owner: owner.id,
  };
  remember(verified, keyId, { owned, until: now + KEY_TTL_MS });
  return owned;
}
