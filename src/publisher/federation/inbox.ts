/**
 * POST /actor/inbox and /inbox (the shared inbox): what the fediverse tells the site's actor.
 * In this order, each step before anything costlier:
 * 1. the address's gate (failed verifications per address, as the API's tokens): a blocked
 *    address is answered 429 before anything is fetched for it;
 * 2. the signature, by Fedify (its signatures code is well kept; ours would be hand-written
 *    crypto): draft-cavage as Mastodon sends it (`rsa-sha256` with `Digest`) or RFC 9421 (which
 *    must cover `content-digest`), its `Date` (or `created`) within an hour, the digest; only then
 *    the key, through key-owner.ts: the key's owner proven by the owner's own document, every
 *    fetch bounded (remote.ts). A host whose fetch budget is spent gets 429, not 401;
 * 3. the activity's `actor` must be the key's proven owner;
 * 4. no replays (replays.ts): a signature accepted before is refused, an activity id seen before
 *    is a 202 that does nothing;
 * 5. Follow of the actor → stored (its inbox must be on its own server) and an Accept queued;
 *    Undo(Follow) → removed; Delete of a follower's own actor → removed; anything else → 202.
 * A deleted account's Delete cannot be verified (its key is gone with it): the follower is
 * removed only when its actor's own server answers 410 Gone to us (see deletedAccount).
 */
import { Activity, Delete, Follow, Undo } from '@fedify/vocab';
import * as v from 'valibot';
import { describeError } from '../../describe-error';
import { ProblemError } from '../../http/problem';
import { ACTOR_PATH, FOLLOWERS_PATH } from '../../views/paths';
import { sha256Hex } from '../auth';
import { type PublisherContext, siteOrigin } from '../context';
import { loadContext, refuseDocument } from './contexts';
import { fetchActor, type KeyOwnerOptions } from './key-owner';
import { fetchDocument, RemoteError, targetProblem } from './remote';
import { fetchOptions, verify } from './verify';

/** Far above any activity Mastodon sends (a few KB), far below what could hurt. */
export const INBOX_MAX_BYTES = 256 * 1024;

/** How long a sender whose host's fetch budget is spent should wait (remote.ts: a minute). */
const BUSY_RETRY_SECONDS = 60;

const unauthorized = (detail: string) =>
  new ProblemError(401, 'Unauthorized', detail, {
    headers: { 'WWW-Authenticate': 'Signature realm="kvpress"' },
  });

const tooMany = (seconds: number, detail: string) =>
  new ProblemError(429, 'Too Many Requests', detail, {
    headers: { 'Retry-After': String(seconds) },
  });

const Id = v.union([v.string(), v.looseObject({ id: v.string() })]);
const idOf = (value: v.InferOutput<typeof Id>) => (typeof value === 'string' ? value : value.id);
/** An Undo's object when it embeds the Follow it undoes. */
const EmbeddedFollow = v.looseObject({ type: v.literal('Follow'), actor: Id, object: Id });
/** A follower's actor document: where it takes deliveries. */
const Inboxes = v.looseObject({
  inbox: v.string(),
  endpoints: v.optional(v.looseObject({ sharedInbox: v.optional(v.string()) })),
});

function parseJson(body: ArrayBuffer): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}

export async function postInbox(c: PublisherContext) {
  const address = c.req.header('CF-Connecting-IP') ?? 'unknown';
  // 1. Nothing is fetched for an address that is already blocked.
  const gate = await c.var.site.authGate(address, true);
  if (!gate.allowed) {
    throw tooMany(gate.retryAfterSeconds, 'Too many unverified requests from this address.');
  }
  /** A refusal, counted against the address (past the limit it is a 429). */
  const refusal = async (detail: string): Promise<ProblemError> => {
    const counted = await c.var.site.authGate(address, false);
    return counted.allowed
      ? unauthorized(detail)
      : tooMany(counted.retryAfterSeconds, 'Too many unverified requests from this address.');
  };
  const signature = c.req.header('Signature');
  if (!signature) throw await refusal('The request is not signed (HTTP Signatures or RFC 9421).');
  const input = c.req.header('Signature-Input');
  // RFC 9421 binds the body only when the signature covers its digest: a POST's must.
  if (input !== undefined && !/"content-digest"/i.test(input)) {
    throw await refusal('An RFC 9421 signature of a POST must cover "content-digest".');
  }
  const body = await c.req.arrayBuffer();
  const json = parseJson(body);

  // 2. The signature, with a key whose owner is proven.
  const options = await fetchOptions(c);
  const verification = await verify(c, body, options);
  if (!verification.verified) {
    if (verification.busy)
      throw tooMany(BUSY_RETRY_SECONDS, `Not verified yet: ${verification.why}.`);
    if (verification.status === 410) {
      const done = await deletedAccount(c, json, options);
      if (done) return done;
    }
    throw await refusal(`The request's signature is refused: ${verification.why}.`);
  }

  let activity: Activity;
  try {
    activity = await Activity.fromJsonLd(json, {
      documentLoader: refuseDocument,
      contextLoader: loadContext,
    });
  } catch (error) {
    throw new ProblemError(
      400,
      'Bad Request',
      `The body is not an ActivityStreams activity: ${describeError(error)}.`,
    );
  }
  // 3. The activity speaks for the key's proven owner, and for no one else.
  const actorId = activity.actorId?.href;
  if (actorId !== verification.owner) {
    throw await refusal(
      `The activity's actor is not ${verification.owner}, who owns the key that signed it.`,
    );
  }
  // 4. No replays.
  const receipt = await c.var.site.inboxReceipt(await sha256Hex(signature), activity.id?.href);
  if (receipt === 'replayed-signature')
    throw await refusal('This signature was accepted before: a replay.');
  if (receipt === 'repeated-activity') return c.body(null, 202);

  // 5. What it says.
  const ours = siteOrigin(c) + ACTOR_PATH;
  if (activity instanceof Follow && activity.objectId?.href === ours) {
    return follow(c, { id: activity.id?.href, actor: actorId, object: ours }, options);
  }
  if (activity instanceof Undo) {
    // The signer can only undo its own Follow: the embedded one is read as it is.
    const undone = v.safeParse(EmbeddedFollow, (json as { object?: unknown }).object);
    if (
      undone.success &&
      idOf(undone.output.actor) === actorId &&
      idOf(undone.output.object) === ours
    ) {
      await c.var.site.unfollow(actorId);
    }
    return c.body(null, 202);
  }
  if (activity instanceof Delete && activity.objectId?.href === actorId) {
    await c.var.site.unfollow(actorId);
  }
  return c.body(null, 202);
}

/** A verified Follow: the follower's actor is fetched from its own server, never read embedded. */
async function follow(
  c: PublisherContext,
  activity: { id: string | undefined; actor: string; object: string },
  options: KeyOwnerOptions,
) {
  let inboxes: v.InferOutput<typeof Inboxes> | undefined;
  try {
    const parsed = v.safeParse(Inboxes, await fetchActor(activity.actor, options));
    if (parsed.success) inboxes = parsed.output;
  } catch (error) {
    console.error(`ActivityPub inbox: the follower's actor failed: ${describeError(error)}`);
  }
  const inbox = inboxes?.inbox;
  const sharedInbox = inboxes?.endpoints?.sharedInbox;
  // Deliveries go only to the follower's own server, to an address deliveries may reach: an
  // actor cannot make the site POST, on every publish, to someone else's URL.
  const own = (url: string) =>
    targetProblem(url, options.allowPrivate) === undefined &&
    new URL(url).origin === new URL(activity.actor).origin;
  if (!inbox || !own(inbox) || (sharedInbox !== undefined && !own(sharedInbox))) {
    throw new ProblemError(
      422,
      'Unprocessable Content',
      "The follower needs an https inbox on its own actor's server to accept to.",
    );
  }
  await c.var.site.follow(
    { actor: activity.actor, inbox, ...(sharedInbox ? { sharedInbox } : {}) },
    {
      ...(activity.id ? { id: activity.id } : {}),
      type: 'Follow',
      actor: activity.actor,
      object: activity.object,
    },
  );
  return c.body(null, 202);
}

/**
 * A Delete whose key answered 410 Gone: a deleted account tells its followers, and its key went
 * with it. Nothing unverified is believed: an actor that is no follower changes nothing (202, no
 * fetch); a follower's is removed only when its actor's own server answers us 410 Gone.
 * Undefined when the request is not such a Delete (it is refused as unverified).
 */
async function deletedAccount(
  c: PublisherContext,
  json: unknown,
  options: KeyOwnerOptions,
): Promise<Response | undefined> {
  const claim = v.safeParse(
    v.looseObject({ type: v.literal('Delete'), actor: Id, object: Id }),
    json,
  );
  if (!claim.success) return undefined;
  const actor = idOf(claim.output.actor);
  if (idOf(claim.output.object) !== actor) return undefined;
  if (!(await c.var.site.hasFollower(actor))) return c.body(null, 202);
  try {
    await fetchDocument(actor, options);
  } catch (error) {
    if (error instanceof RemoteError && error.status === 410) {
      await c.var.site.unfollow(actor);
      console.log(`ActivityPub inbox: ${actor} is gone (410 from its server): follower removed`);
      return c.body(null, 202);
    }
  }
  return undefined;
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
