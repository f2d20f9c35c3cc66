/**
 * A real webhook receiver, in Node, started by the worker tests' global setup: it verifies each
 * delivery's signature the way a subscriber would (HMAC-SHA256 over "<t>.<body>" with the shared
 * secret) and records it. `/flaky/<name>` answers 503 to its first two deliveries of each event.
 * GET /log returns every delivery received, in order. With `probeOrigin`, it first fetches what
 * a delivery announces (data.path, as HTML and as JSON), as a subscriber would at once: what it
 * got is recorded with the delivery (`announced`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export const WEBHOOK_SECRET = 'webhook-test-secret-0123456789';

export interface Received {
  path: string;
  eventId: string;
  type: string;
  slug: string;
  signatureValid: boolean;
  status: number;
  /** The announced URL's answers at the moment of delivery (with `probeOrigin`). */
  announced?: { html: number; json: number; title: string | null };
}

/** Fetches what `data` announces from `origin`, as HTML and as JSON. */
async function probe(origin: string, path: string): Promise<Received['announced']> {
  const get = (accept: string) =>
    fetch(`${origin}${path}`, { headers: { Accept: accept }, signal: AbortSignal.timeout(5_000) });
  const [html, json] = await Promise.all([get('text/html'), get('application/json')]);
  await html.arrayBuffer();
  const body = json.ok ? ((await json.json()) as { title?: string }) : undefined;
  return { html: html.status, json: json.status, title: body?.title ?? null };
}

export function startReceiver(
  options: { probeOrigin?: string } = {},
): Promise<{ server: Server; port: number }> {
  const log: Received[] = [];
  const attemptsByEvent = new Map<string, number>();
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/log') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(log));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = String(req.headers['kvpress-signature'] ?? '');
      const t = /t=(\d+)/.exec(header)?.[1] ?? '';
      const v1 = /v1=([0-9a-f]{64})/.exec(header)?.[1] ?? '';
      const expected = createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${body}`).digest('hex');
      const fresh = Math.abs(Date.now() / 1000 - Number(t)) < 300;
      const signatureValid =
        fresh && v1.length === 64 && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
      const event = JSON.parse(body || '{}') as {
        id?: string;
        type?: string;
        data?: { slug?: string; path?: string };
      };
      const announced =
        options.probeOrigin && event.data?.path
          ? await probe(options.probeOrigin, event.data.path).catch(() => undefined)
          : undefined;
      const eventId = String(req.headers['kvpress-event-id'] ?? '');
      const key = `${req.url} ${eventId}`;
      const attempt = (attemptsByEvent.get(key) ?? 0) + 1;
      attemptsByEvent.set(key, attempt);
      const status = !signatureValid
        ? 401
        : req.url?.startsWith('/flaky/') && attempt <= 2
          ? 503
          : 204;
      log.push({
        path: req.url ?? '',
        eventId,
        type: event.type ?? '',
        slug: event.data?.slug ?? '',
        signatureValid: signatureValid && event.id === eventId,
        status,
        ...(announced ? { announced } : {}),
      });
      res.writeHead(status);
      res.end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}
