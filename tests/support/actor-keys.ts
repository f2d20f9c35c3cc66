/**
 * The site actor's two key pairs, as `npm run activitypub:keys` makes them (RSA 2048, Ed25519),
 * made inside workerd (the script's module imports Node's fs): `private` for the secret,
 * `public` for the [vars].
 */
import { exportJwk, generateCryptoKeyPair } from '@fedify/fedify';
import { exportMultibaseKey, exportSpki } from '@fedify/vocab-runtime';

export async function actorKeys(): Promise<{ private: string; public: string }> {
  const rsa = (await crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const ed25519 = await generateCryptoKeyPair('Ed25519');
  return {
    private: JSON.stringify({
      rsa: await exportJwk(rsa.privateKey),
      ed25519: await exportJwk(ed25519.privateKey),
    }),
    public: JSON.stringify({
      rsa: await exportSpki(rsa.publicKey),
      ed25519: await exportMultibaseKey(ed25519.publicKey),
    }),
  };
}
