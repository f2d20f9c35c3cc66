/**
 * The site actor's key pairs, made with WebCrypto and Fedify only (no Node module), so the CLI,
 * the lab and the tests inside workerd make them the same way.
 */
import { exportJwk, generateCryptoKeyPair } from '@fedify/fedify';
import { exportMultibaseKey, exportSpki } from '@fedify/vocab-runtime';

/**
 * RSA 2048 (Fedify's default is 4096): what Mastodon makes for its own actors, verified by every
 * server, and a quarter of the signing work per delivery.
 */
export function generateRsaKeyPair(): ReturnType<typeof generateCryptoKeyPair> {
  return crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  ) as ReturnType<typeof generateCryptoKeyPair>;
}

/** Both pairs: `private` for the secret, `public` for the [vars]. */
export async function makeActorKeys(): Promise<{ private: string; public: string }> {
  const rsa = await generateRsaKeyPair();
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
