/**
 * A stand-in for a Cloudflare Access team's keys: an RSA key pair made once per test run, its
 * public half served as a JWKS on loopback (where ACCESS_CERTS_URL points in vitest.config.ts),
 * its private half handed to the worker tests to sign assertions as Access would.
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export const ACCESS_TEAM = 'https://kvpress-test.cloudflareaccess.com';
export const ACCESS_AUD = 'kvpress-test-audience';

/** Serves the public key at `/cdn-cgi/access/certs` on `port`; the private JWK to sign with. */
export async function startAccessKeys(port: number): Promise<{ server: Server; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256' };
  const body = JSON.stringify({ keys: [jwk] });
  const server = createServer((req, res) => {
    if (req.url === '/cdn-cgi/access/certs') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, privateJwk };
}
