/**
 * A fake fediverse server for the inbox's attack tests: plain Node HTTP on loopback whose every
 * answer the test chooses (actors, key documents that lie, inboxes that redirect, documents that
 * never end or never come), and which counts what kvpress asks of it. Unlike the Fedify peer
 * (fediverse-peer.ts) it is no ActivityPub implementation: it is what an attacker runs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signRequest } from '@fedify/fedify';
import { exportSpki } from '@fedify/vocab-runtime';
import { generateRsaKeyPair } from '../../scripts/cli/activitypub-keys';

type CryptoKey = Awaited<ReturnType<typeof generateRsaKeyPair>>['privateKey'];

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

export interface Received {
  method: string;
  path: string;
  body: string;
}

export class FakeServer {
  readonly #routes = new Map<string, Handler>();
  readonly #server: Server;
  /** Every request, in order. */
  readonly received: Received[] = [];
  /** Requests being answered now, and the most there ever were at once, per path. */
  readonly inFlight = new Map<string, number>();
  readonly maxInFlight = new Map<string, number>();
  origin = '';

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ method: req.method ?? 'GET', path, body });
        const now = (this.inFlight.get(path) ?? 0) + 1;
        this.inFlight.set(path, now);
        this.maxInFlight.set(path, Math.max(now, this.maxInFlight.get(path) ?? 0));
        res.on('close', () => this.inFlight.set(path, (this.inFlight.get(path) ?? 1) - 1));
        const handler = this.#routes.get(`${req.method} ${path}`);
        if (!handler) {
          res.writeHead(404).end();
          return;
        }
        try {
          await handler(req, res, body);
        } catch (error) {
          if (!res.headersSent) res.writeHead(500).end(String(error));
        }
      });
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  on(method: string, path: string, handler: Handler): void {
    this.#routes.set(`${method} ${path}`, handler);
  }

  /** Serves `doc` as application/activity+json at `path`. */
  json(path: string, doc: unknown, status = 200): void {
    this.on('GET', path, (_req, res) => {
      res.writeHead(status, { 'Content-Type': 'application/activity+json' });
      res.end(JSON.stringify(doc));
    });
  }

  /** How many requests reached `path` (with `method`). */
  count(path: string, method = 'GET'): number {
    return this.received.filter((r) => r.path === path && r.method === method).length;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** An actor on a fake server: its documents served, its key pair at hand to sign with. */
export interface FakeActor {
  id: string;
  keyId: string;
  inbox: string;
  privateKey: CryptoKey;
  pem: string;
}

const AS = 'https://www.w3.org/ns/activitystreams';
const SECURITY = 'https://w3id.org/security/v1';

/** Serves a Person `name` on `server` with its own key (`#main-key`) and inbox. */
export async function fakeActor(
  server: FakeServer,
  name: string,
  extra: { context?: unknown[]; sharedInbox?: string; inbox?: string } = {},
): Promise<FakeActor> {
  const keys = await generateRsaKeyPair();
  const pem = await exportSpki(keys.publicKey);
  const id = `${server.origin}/users/${name}`;
  const inbox = extra.inbox ?? `${id}/inbox`;
  server.json(`/users/${name}`, {
    '@context': extra.context ?? [AS, SECURITY],
    id,
    type: 'Person',
    preferredUsername: name,
    inbox,
    ...(extra.sharedInbox ? { endpoints: { sharedInbox: extra.sharedInbox } } : {}),
    publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: pem },
  });
  if (!extra.inbox) {
    server.on('POST', `/users/${name}/inbox`, (_req, res) => {
      res.writeHead(202).end();
    });
  }
  return { id, keyId: `${id}#main-key`, inbox, privateKey: keys.privateKey, pem };
}

/** A key pair whose key document lives wherever the test serves it. */
export async function looseKey(): Promise<{ privateKey: CryptoKey; pem: string }> {
  const keys = await generateRsaKeyPair();
  return { privateKey: keys.privateKey, pem: await exportSpki(keys.publicKey) };
}

/** A POST of `activity` to `url`, signed (draft-cavage, as Mastodon signs) with `keyId`'s key. */
export async function signedPost(
  url: string,
  activity: object,
  privateKey: CryptoKey,
  keyId: string,
  headers: Record<string, string> = {},
): Promise<Request> {
  const request = new Request(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/activity+json', ...headers },
    body: JSON.stringify({ '@context': AS, ...activity }),
  });
  return signRequest(request, privateKey, new URL(keyId), {
    spec: 'draft-cavage-http-signatures-12',
  });
}
