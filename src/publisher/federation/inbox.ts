/**
 * POST /actor/inbox and /inbox (the shared inbox): what the fediverse tells the site's actor.
 * Fedify verifies (its signatures code is well kept; ours would be hand-written crypto):
 * draft-cavage HTTP Signatures as Mastodon sends them (`rsa-sha256`, with `Digest`) and RFC 9421
 * (`Signature-Input`, `Content-Digest`), chosen by the headers; the `Date` (or `created`) within
 * an hour either way; the key fetched from its owner's actor document, cached, and fetched again
 * once when a cached key fails. Unsigned, mismatched or stale → 401, counted per address like the
 * API's failed tokens (429 when there are too many). Then the activity's actor must own the key.
 *
 * Follow of the actor → stored, an Accept queued; Undo(Follow) → removed; Delete of a follower's
 * own actor → removed; anything else → 202 and ignored. Bodies are bounded (INBOX_MAX_BYTES).
 */
import {
  doesActorOwnKey,
  getAuthenticatedDocumentLoader,
  verifyRequestDetailed,
} from '@fedify/fedify';
import { Activity, type CryptographicKey, Delete, Follow, Undo } from '@fedify/vocab';
import { getDocumentLoader } from '@fedify/vocab-runtime';
import { describeError } from '../../describe-error';
import { ACTOR_PATH, FOLLOWERS_PATH } from '../../views/paths';
import { type PublisherContext, problem, siteOrigin } from '../context';
import { signingKeys } from './keys';

/** Far above any activity Mastodon sends (a few KB), far below what could hurt. */
export const INBOX_MAX_BYTES = 256 * 1024;

/** Keys by id, an hour (a miss: five minutes), per isolate: most senders send more than once. */
const keys = new Map<string, { key: CryptographicKey | null; until: number }>();
const keyCache = {
  async get(keyId: URL) {
    const hit = keys.get(keyId.href);
    if (!hit || hit.until < Date.now()) return undefined;
    return hit.key;
  },
  async set(keyId: URL, key: CryptographicKey | null) {
    if (keys.size > 10_000) keys.clear();
    keys.set(keyId.href, { key, until: Date.now() + (key ? 3_600_000 : 300_000) });
  },
};

/**
 * Fedify's loaders: documents (senders' keys and actors) and JSON-LD contexts (the common ones
 * preloaded, none fetched per request). With the actor's keys, document GETs are signed
 * (Mastodon's "authorized fetch" refuses unsigned ones). Private addresses (a peer on loopback)
 * only when the environment says so.
 */
async function loadersFor(c: PublisherContext) {
  const options = {
    allowPrivateAddress: c.env.ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS === 'true',
    userAgent: 'kvpress (ActivityPub)',
  };
  const contextLoader = getDocumentLoader(options);
  const keys = await signingKeys(c.env.ACTIVITYPUB_PRIVATE_KEYS, c.env.ACTIVITYPUB_PUBLIC_KEYS);
  if (!keys) return { documentLoader: contextLoader, contextLoader };
  const keyId = new URL(`${siteOrigin(c)}${ACTOR_PATH}#main-key`);
  const signed = getAuthenticatedDocumentLoader({ keyId, privateKey: keys.rsa }, options);
  return { documentLoader: signed, contextLoader };
}

const unauthorized = (c: PublisherContext, detail: string) =>
  problem(c, 401, 'Unauthorized', detail, { 'WWW-Authenticate': 'Signature realm="kvpress"' });

export async function postInbox(c: PublisherContext) {
  const address = c.req.header('CF-Connecting-IP') ?? 'unknown';
  const signed = c.req.header('Signature') ?? c.req.header('Signature-Input');
  const input = c.req.header('Signature-Input');
  // RFC 9421 binds the body only when the signature covers its digest: a POST's must.
  if (input !== undefined && !/"content-digest"/i.test(input)) {
    return unauthorized(c, 'An RFC 9421 signature of a POST must cover "content-digest".');
  }
  const body = await c.req.arrayBuffer();
  const loaders = await loadersFor(c);
  let result: Awaited<ReturnType<typeof verifyRequestDetailed>> | undefined;
  try {
    result = signed
      ? await verifyRequestDetailed(
          new Request(c.req.url, { method: 'POST', headers: c.req.raw.headers, body }),
          { ...loaders, keyCache, timeWindow: { hours: 1 } },
        )
      : undefined;
  } catch (error) {
    // A key document Fedify cannot read (not JSON-LD, a context it cannot load): unverified.
    console.error(`ActivityPub inbox: the signature could not be checked: ${describeError(error)}`);
    result = { verified: false, reason: { type: 'invalidSignature' } };
  }
  const gate = await c.var.site.authGate(address, result?.verified === true);
  if (!gate.allowed) {
    return problem(c, 429, 'Too Many Requests', 'Too many unverified requests from this address.', {
      'Retry-After': String(gate.retryAfterSeconds),
    });
  }
  if (!result) return unauthorized(c, 'The request is not signed (HTTP Signatures or RFC 9421).');
  if (!result.verified) {
    const why =
      result.reason.type === 'keyFetchError'
        ? `its key ${result.reason.keyId.href} could not be fetched`
        : result.reason.type === 'invalidSignature'
          ? 'the signature, its Date or its digest does not verify'
          : 'no signature was found';
    return unauthorized(c, `The request's signature is refused: ${why}.`);
  }

  let activity: Activity;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
    activity = await Activity.fromJsonLd(json, loaders);
  } catch (error) {
    return problem(
      c,
      400,
      'Bad Request',
      `The body is not an ActivityStreams activity: ${describeError(error)}.`,
    );
  }
  // Everything below may fetch remote documents: a failure there is the sender's, never a 500.
  const remote = async <T>(load: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await load();
    } catch (error) {
      console.error(`ActivityPub inbox: a remote document failed: ${describeError(error)}`);
      return undefined;
    }
  };
  if (!(await remote(() => doesActorOwnKey(activity, result.key, loaders)))) {
    return unauthorized(c, "The activity's actor does not own the key that signed it.");
  }
  const ours = siteOrigin(c) + ACTOR_PATH;
  const actorId = activity.actorId?.href;

  if (activity instanceof Follow && activity.objectId?.href === ours && actorId) {
    const follower = await remote(() => activity.getActor(loaders));
    const inbox = follower?.inboxId?.href;
    const sharedInbox = follower?.endpoints?.sharedInbox?.href;
    // Deliveries go only to the follower's own server over https (or the loopback a test
    // allows): an actor cannot make the site POST, on every publish, to someone else's URL.
    const allowHttp = c.env.ACTIVITYPUB_ALLOW_PRIVATE_ADDRESS === 'true';
    const own = (url?: string) => url !== undefined && sameServer(url, actorId, allowHttp);
    if (!follower || !inbox || !own(inbox) || (sharedInbox && !own(sharedInbox))) {
      return problem(
        c,
        422,
        'Unprocessable Content',
        "The follower needs an https inbox on its own actor's server to accept to.",
      );
    }
    await c.var.site.follow(
      { actor: actorId, inbox, ...(sharedInbox ? { sharedInbox } : {}) },
      json as object,
    );
    return c.body(null, 202);
  }
  if (activity instanceof Undo && actorId) {
    const undone = await remote(() => activity.getObject(loaders));
    if (
      undone instanceof Follow &&
      undone.actorId?.href === actorId &&
      undone.objectId?.href === ours
    ) {
      await c.var.site.unfollow(actorId);
    }
    return c.body(null, 202);
  }
  if (activity instanceof Delete && actorId && activity.objectId?.href === actorId) {
    await c.var.site.unfollow(actorId);
    return c.body(null, 202);
  }
  return c.body(null, 202);
}

/** True when `url` is on the server of `actor` (same origin), over https unless allowed. */
function sameServer(url: string, actor: string, allowHttp: boolean): boolean {
  try {
    const target = new URL(url);
    if (target.protocol !== 'https:' && !(allowHttp && target.protocol === 'http:')) return false;
    return target.origin === new URL(actor).origin;
  } catch {
    return false;
  }
}

/** GET /actor/followers: how many, not who (their servers know; a list tells strangers). */
export async function getFollowers(c: PublisherContext) {
  const id = siteOrigin(c) + FOLLOWERS_PATH;
  const totalItems = await c.var.site.followerCount();
  return c.body(
    JSON.stringify({
      '@context': 'https://www.w3.org/ns/activitystreams',
      id,
      type: 'OrderedCollection',
      totalItems,
    }),
    200,
    {
      'Content-Type': 'application/activity+json',
      'Cache-Control': 'public, max-age=60',
      Vary: 'Accept',
    },
  );
}
