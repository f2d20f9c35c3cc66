/**
 * The actor's signing keys: the private halves from the ACTIVITYPUB_PRIVATE_KEYS secret (JWKs,
 * made by `npm run activitypub:keys`), checked once against the public halves the reader
 * publishes (ACTIVITYPUB_PUBLIC_KEYS): a follower can verify only what the published key signed.
 */
import { importJwk } from '@fedify/fedify';
import { exportMultibaseKey, exportSpki } from '@fedify/vocab-runtime';
import { describeError } from '../../describe-error';

export interface SigningKeys {
  /** RSASSA-PKCS1-v1_5 SHA-256: draft-cavage signatures, which every Mastodon verifies. */
  rsa: CryptoKey;
  ed25519: CryptoKey;
}

const loaded = new Map<string, Promise<SigningKeys | undefined>>();

/** The keys, or undefined (logged) when they are missing, malformed or not the published ones. */
export function signingKeys(
  privateKeys?: string,
  publicKeys?: string,
): Promise<SigningKeys | undefined> {
  if (!privateKeys?.trim()) return Promise.resolve(undefined);
  const cacheKey = `${privateKeys}\n${publicKeys ?? ''}`;
  let keys = loaded.get(cacheKey);
  if (!keys) {
    keys = load(privateKeys, publicKeys);
    loaded.set(cacheKey, keys);
  }
  return keys;
}

async function load(privateKeys: string, publicKeys?: string): Promise<SigningKeys | undefined> {
  try {
    const jwks = JSON.parse(privateKeys) as { rsa?: JsonWebKey; ed25519?: JsonWebKey };
    if (!jwks.rsa || !jwks.ed25519) throw new Error('needs "rsa" and "ed25519" JWKs');
    const rsa = await importJwk(jwks.rsa, 'private');
    const ed25519 = await importJwk(jwks.ed25519, 'private');
    const published = JSON.parse(publicKeys ?? 'null') as { rsa?: string; ed25519?: string } | null;
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rsaPublic } = jwks.rsa;
    const { d: _ed, ...edPublic } = jwks.ed25519;
    const pem = await exportSpki(await importJwk({ ...rsaPublic, key_ops: ['verify'] }, 'public'));
    const multibase = await exportMultibaseKey(
      await importJwk({ ...edPublic, key_ops: ['verify'] }, 'public'),
    );
    const same = (a?: string, b?: string) => a?.replace(/\s+/g, '') === b?.replace(/\s+/g, '');
    if (!published || !same(published.rsa, pem) || published.ed25519 !== multibase) {
      throw new Error('ACTIVITYPUB_PUBLIC_KEYS is not the public half of ACTIVITYPUB_PRIVATE_KEYS');
    }
    return { rsa, ed25519 };
  } catch (error) {
    console.error(`ActivityPub: no signing keys, nothing is delivered: ${describeError(error)}`);
    return undefined;
  }
}
