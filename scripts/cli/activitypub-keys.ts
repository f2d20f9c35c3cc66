/**
 * Makes the site actor's two key pairs: RSA (2048 bits, as Mastodon's own; RSASSA-PKCS1-v1_5
 * SHA-256), which every
 * Mastodon verifies (draft-cavage HTTP Signatures), and Ed25519 (RFC 9421, FEP-521a Multikey).
 *
 *   npm run activitypub:keys                 prints both halves and what to do with them
 *   npm run activitypub:keys -- --dev-vars   appends them to .dev.vars (local stack only)
 *
 * The private halves are a secret: `wrangler secret put ACTIVITYPUB_PRIVATE_KEYS -c
 * wrangler.publisher.toml` reads them from standard input; they never go to KV, a log or the repo.
 * The public halves go to ACTIVITYPUB_PUBLIC_KEYS in both wrangler configs' [vars] (the reader
 * publishes them in the actor; the publisher checks they match its private keys).
 */
import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { makeActorKeys } from '../lib/actor-keys';

export { generateRsaKeyPair, makeActorKeys } from '../lib/actor-keys';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'dev-vars': { type: 'boolean' } } });
  const keys = await makeActorKeys();
  if (values['dev-vars']) {
    await appendFile(
      '.dev.vars',
      `\nACTIVITYPUB_PRIVATE_KEYS='${keys.private}'\nACTIVITYPUB_PUBLIC_KEYS='${keys.public}'\n`,
    );
    console.log(
      'activitypub:keys: appended ACTIVITYPUB_PRIVATE_KEYS and ACTIVITYPUB_PUBLIC_KEYS to .dev.vars',
    );
    return;
  }
  console.log(`# 1. The private keys, a secret of the publisher (paste the line when wrangler asks):
#    npx wrangler secret put ACTIVITYPUB_PRIVATE_KEYS -c wrangler.publisher.toml
${keys.private}

# 2. The public keys, in [vars] of wrangler.toml AND wrangler.publisher.toml:
ACTIVITYPUB_PUBLIC_KEYS = '${keys.public}'
`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(
      `activitypub:keys failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  });
}
