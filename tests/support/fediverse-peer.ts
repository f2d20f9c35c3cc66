/**
 * An independent ActivityPub server for the federation test: a small Fedify federation in Node
 * on loopback, with one actor (alice), its own keys, and an inbox that Fedify guards itself (a
 * listener runs only for an activity whose signature Fedify verified against kvpress's published
 * key). It logs what it receives, and can look up, fetch and follow like Mastodon would.
 *
 * TLS: there is none on loopback, and Fedify looks up `acct:` handles over https. So the peer's
 * process maps https://<loopback>:<port> to http:// for the kvpress stack it talks to, and
 * nothing else (a test shim for the transport only; every byte and signature is unchanged).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import {
  type Context,
  createFederation,
  type Federation,
  generateCryptoKeyPair,
  MemoryKvStore,
} from '@fedify/fedify';
import { Accept, Create, Delete, Endpoints, Follow, Person, Update } from '@fedify/vocab';
import { generateRsaKeyPair } from '../../scripts/cli/activitypub-keys';

export interface Received {
  type: string;
  id: string;
  actor: string;
  object?: string;
  name?: string;
  /**
   * A Create's or Update's object fetched at its URL the moment the activity arrived, as
   * Mastodon fetches it for a preview card: the statuses as HTML and as ActivityStreams.
   */
  announced?: { html: number; activity: number };
}

/** What a follower's server gets from the announced URL, as a page and as an object. */
async function probe(url: string): Promise<Received['announced']> {
  const get = async (accept: string) => {
    const res = await fetch(url, {
      headers: { Accept: accept },
      signal: AbortSignal.timeout(5_000),
    });
    await res.arrayBuffer();
    return res.status;
  };
  const [html, activity] = await Promise.all([get('text/html'), get('application/activity+json')]);
  return { html, activity };
}

export interface Peer {
  origin: string;
  federation: Federation<void>;
  context: Context<void>;
  received: Received[];
  attempts: Record<string, number>;
  /** What the peer's inbox listeners threw (a test shows them when something is missing). */
  errors: string[];
  /** Alice's keys, to craft requests by hand (forged, replayed, tampered). */
  keys: { rsa: Awaited<ReturnType<typeof generateCryptoKeyPair>> };
  aliceId: URL;
  close(): Promise<void>;
}

/** Lets Fedify's https lookups reach `http://127.0.0.1:<port>` (see the file's comment). */
export function allowLoopbackHttp(port: number): void {
  const original = globalThis.fetch;
  const secure = `https://127.0.0.1:${port}`;
  globalThis.fetch = ((input: Request | string | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(secure)) return original(input, init);
    const plain = `http://127.0.0.1:${port}${url.slice(secure.length)}`;
    return original(input instanceof Request ? new Request(plain, input) : plain, init);
  }) as typeof fetch;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  return new Request(origin + (req.url ?? '/'), {
    method: req.method ?? 'GET',
    headers,
    ...(body && req.method !== 'GET' && req.method !== 'HEAD' ? { body } : {}),
  });
}

const ACTORS = ['alice', 'bob', 'carol', 'mallory'];

export async function startPeer(): Promise<Peer> {
  const rsa = await generateRsaKeyPair();
  const ed25519 = await generateCryptoKeyPair('Ed25519');
  const received: Received[] = [];
  /** Deliveries to bob's and carol's inboxes, counted (they are not verified: see above). */
  const attempts: Record<string, number> = {};
  const errors: string[] = [];
  const federation = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true });
  federation
    .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => {
      if (!ACTORS.includes(identifier)) return null;
      const keys = await ctx.getActorKeyPairs(identifier);
      // alice has Fedify's inbox and a shared inbox; bob's server is gone (410), carol's inbox
      // fails twice before it takes a delivery (both outside Fedify, with no shared inbox).
      // mallory names an inbox on someone else's server.
      const inbox =
        identifier === 'alice'
          ? ctx.getInboxUri(identifier)
          : identifier === 'mallory'
            ? new URL('https://victim.example/inbox')
            : new URL(`${identifier === 'bob' ? '/gone' : '/flaky'}/${identifier}`, ctx.origin);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: `${identifier} (the test peer)`,
        inbox,
        ...(identifier === 'alice'
          ? { endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }) }
          : {}),
        publicKey: keys[0]?.cryptographicKey ?? null,
        assertionMethods: keys.map((key) => key.multikey),
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) =>
      ACTORS.includes(identifier) ? [rsa, ed25519] : [],
    );
  const log =
    (type: string) => async (_ctx: unknown, activity: Accept | Create | Update | Delete) => {
      const object = activity.objectId?.href;
      const announced =
        object && (type === 'Create' || type === 'Update')
          ? await probe(object).catch(() => undefined)
          : undefined;
      // An Accept embeds the peer's own Follow: Fedify fetches a cross-origin embed again, and
      // the peer serves no Follow objects, so only its id is read.
      const loaded = type === 'Accept' ? null : await activity.getObject();
      received.push({
        type,
        id: activity.id?.href ?? '',
        actor: activity.actorId?.href ?? '',
        ...(object ? { object } : {}),
        ...(loaded && 'name' in loaded && loaded.name ? { name: String(loaded.name) } : {}),
        ...(announced ? { announced } : {}),
      });
    };
  federation
    .setInboxListeners('/users/{identifier}/inbox', '/inbox')
    .on(Accept, log('Accept'))
    .on(Create, log('Create'))
    .on(Update, log('Update'))
    .on(Delete, log('Delete'))
    .onError((_ctx, error) => {
      errors.push(String(error));
    });

  let origin = '';
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'POST' && req.url === '/gone/bob') {
      attempts.bob = (attempts.bob ?? 0) + 1;
      res.writeHead(410).end();
      return;
    }
    if (req.method === 'POST' && req.url === '/flaky/carol') {
      attempts.carol = (attempts.carol ?? 0) + 1;
      res.writeHead(attempts.carol <= 2 ? 503 : 202).end();
      return;
    }
    try {
      const response = await federation.fetch(await toRequest(req, origin), {
        contextData: undefined,
      });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500);
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('peer: no port');
  origin = `http://127.0.0.1:${address.port}`;
  const context = federation.createContext(new URL(origin), undefined);
  return {
    origin,
    federation,
    context,
    received,
    attempts,
    errors,
    keys: { rsa },
    aliceId: context.getActorUri('alice'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export { Follow };
