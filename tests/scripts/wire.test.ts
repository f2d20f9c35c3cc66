/**
 * What a real client's bytes do: requests written on a TCP socket to the built worker, for the
 * cases the Fetch API cannot construct faithfully (non-ASCII bytes in a header value, which the
 * Request constructor re-encodes with a warning). Negotiation reads them as the worker receives
 * them; a value with no valid media range means * /* (RFC 9110 §12.5.1).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContent } from '../../scripts/cli/build-content';
import {
  type Bundle,
  bundleWorker,
  type LocalWorker,
  startLocalWorker,
} from '../../scripts/lib/local-worker';

const ARTICLE = '/articles/trump-seeks-to-renew-relations-with-putins-russia';
const HTML = 'text/html; charset=utf-8';

/** Sends `head` (CRLF line ends added) and returns the status and headers of the answer. */
function rawRequest(
  url: string,
  lines: string[],
): Promise<{ status: number; headers: Map<string, string> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.end(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'));
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...fields] = head.split('\r\n');
      const headers = new Map(
        fields.map((f) => [
          f.slice(0, f.indexOf(':')).toLowerCase(),
          f.slice(f.indexOf(':') + 1).trim(),
        ]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers });
    });
  });
}

describe('non-ASCII bytes on the wire', () => {
  let bundle: Bundle;
  let worker: LocalWorker;

  beforeAll(async () => {
    bundle = await bundleWorker();
    const build = await buildContent('tests/fixtures/content');
    if (!build.ok) throw new Error(build.errors.join('\n'));
    worker = await startLocalWorker({ bundleDir: bundle.dir, entries: build.entries });
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await bundle?.cleanup();
  });

  const cases = [
    {
      label: 'a non-ASCII letter in the type (no valid range: */*)',
      accept: 'téxt/html',
      type: HTML,
    },
    { label: 'an emoji type (no valid range: */*)', accept: '😀/*', type: HTML },
    {
      label: 'an emoji type beside a real range',
      accept: '😀/*, application/json;q=0.5',
      type: 'application/json',
    },
    // U+212A KELVIN SIGN lowercases to ASCII "k": "text/marKdown" is not a token (RFC 9110
    // §5.6.2), so it is no valid range and the header means */*.
    {
      label: 'a KELVIN SIGN in "markdown" (not a token: */*)',
      accept: 'text/mar\u212Adown',
      type: HTML,
    },
  ];

  for (const { label, accept, type } of cases) {
    it(`answers 200 ${type.split(';')[0]} for ${label}`, async () => {
      const res = await rawRequest(worker.url, [
        `GET ${ARTICLE} HTTP/1.1`,
        `Host: ${new URL(worker.url).host}`,
        `Accept: ${accept}`,
        'Connection: close',
      ]);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('vary')).toBe('Accept');
    });
  }
});
