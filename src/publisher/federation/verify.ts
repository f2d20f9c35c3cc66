/**
 * The inbox's verification of a request: its signature checked by Fedify with a key whose owner
 * is proven (key-owner.ts), every fetch bounded (remote.ts) and signed when the actor has keys.
 * A cached key that no longer verifies is proven again once (a rotated key).
 */
import { signRequest, verifyRequestDetailed } from '@fedify/fedify';
import { describeError } from '../../describe-error';
import { ACTOR_PATH } from '../../views/paths';
import { type PublisherContext, siteOrigin } from '../context';
import { loadContext, refuseDocument } from './contexts';
import {
  forgetKey,
  isKeyCached,
  type KeyOwnerOptions,
  KeyOwnershipError,
  ownedKey,
} from './key-owner';
import { signingKeys } from './keys';

/** The options every key and actor fetch of this request runs with (signed when keys exist). */
export async function fetchOptions(c: PublisherContext): Promise<KeyOwnerOptions> {
  const { allowPrivate, privateKeys, publicKeys } = c.var.config.activityPub;
  const keys = await signingKeys(privateKeys, publicKeys);
  if (!keys) return { allowPrivate };
  const keyId = new URL(`${siteOrigin(c)}${ACTOR_PATH}#main-key`);
  return {
    allowPrivate,
    sign: (request) =>
      signRequest(request, keys.rsa, keyId, { spec: 'draft-cavage-http-signatures-12' }),
  };
}

export type Verification =
  | { verified: true; owner: string }
  | { verified: false; why: string; busy?: boolean; status?: number };

/** Verifies the request's signature with a key whose owner is proven (key-owner.ts). */
export async function verify(
  c: PublisherContext,
  body: ArrayBuffer,
  options: KeyOwnerOptions,
): Promise<Verification> {
  let owner: string | undefined;
  let failure: KeyOwnershipError | undefined;
  let fromCache = false;
  // Fedify asks its key cache first, after it checked the Date and the digest: this cache
  // answers with a proven key or with null, and Fedify's own loader fetches nothing.
  const keyCache = {
    async get(keyId: URL) {
      fromCache = isKeyCached(keyId.href, options.now);
      try {
        const owned = await ownedKey(keyId.href, options);
        owner = owned.owner;
        return owned.key;
      } catch (error) {
        failure =
          error instanceof KeyOwnershipError ? error : new KeyOwnershipError(describeError(error));
        return null;
      }
    },
    async set() {},
  };
  const attempt = async () => {
    try {
      return await verifyRequestDetailed(
        new Request(c.req.url, { method: 'POST', headers: c.req.raw.headers, body }),
        {
          documentLoader: refuseDocument,
          contextLoader: loadContext,
          keyCache,
          timeWindow: { hours: 1 },
        },
      );
    } catch (error) {
      // A malformed Date or Signature header that Fedify's parser throws on.
      return { verified: false as const, reason: { type: 'invalidSignature' as const }, error };
    }
  };
  let result = await attempt();
  // A cached key that no longer verifies may have been rotated: prove it again, once.
  if (!result.verified && fromCache && 'keyId' in result.reason && result.reason.keyId) {
    forgetKey(result.reason.keyId.href);
    owner = undefined;
    result = await attempt();
  }
  if (result.verified && owner) return { verified: true, owner };
  if (failure) {
    return {
      verified: false,
      why: `its key is not proven: ${failure.message}`,
      busy: failure.busy,
      ...(failure.status ? { status: failure.status } : {}),
    };
  }
  if (result.verified) return { verified: false, why: 'its key has no proven owner' };
  return {
    verified: false,
    why:
      result.reason.type === 'noSignature'
        ? 'no signature was found'
        : 'the signature, its Date or its digest does not verify',
  };
}
