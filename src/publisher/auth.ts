/**
 * Secrets: made (newSecret), stored as hashes (sha256Hex), and compared in constant time
 * (tokenMatches, the bearer check against the `PUBLISH_TOKEN` secret). Both tokens
 * are hashed first, so the comparison is constant-time over equal lengths and neither the
 * length nor the content of a wrong token changes the time or the answer.
 */
const encoder = new TextEncoder();

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', encoder.encode(text));
}

/** SHA-256 of `text`, as 64 hex digits: how a secret is stored (a preview key) or remembered
 * (an accepted signature) without keeping the secret itself. */
export async function sha256Hex(text: string): Promise<string> {
  const bytes = new Uint8Array(await digest(text));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** @example await tokenMatches('Bearer s3cret', 's3cret') // true */
export async function tokenMatches(
  authorization: string | undefined,
  secret: string,
): Promise<boolean> {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  // A missing or malformed header is compared too (as an empty token): the same work either way.
  const given = await digest(match?.[1] ?? '');
  const expected = await digest(secret);
  return crypto.subtle.timingSafeEqual(given, expected) && match !== null;
}

/** A new secret: 32 random bytes as base64url (43 characters), after `prefix`. */
export function newSecret(prefix = ''): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const base64 = btoa(String.fromCharCode(...bytes));
  return prefix + base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
