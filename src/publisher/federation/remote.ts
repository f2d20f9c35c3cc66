/**
 * Every outbound request the federation makes goes through here: a key, an actor, a delivery.
 * Hand-written because no library bounds a fetch the way a Worker needs it: Fedify's loaders
 * follow redirects, read any size whole, and check addresses with node:dns (which a Worker does
 * not have). The rules (DESIGN.md, security):
 * - the target is checked before the fetch (https, no credentials, no private or special
 *   address) and no redirect is followed: a 3xx is a failure, since its Location was never
 *   checked;
 * - a document fetch is gated per host (at most HOST_IN_FLIGHT at once and HOST_PER_MINUTE a
 *   minute, per isolate): one slow or hostile server holds a bounded number of slots, never the
 *   inbox;
 * - its time is bounded (FETCH_TIMEOUT_MS, body included) and its size (DOCUMENT_MAX_BYTES),
 *   read as a stream that stops at the limit.
 * A name's addresses cannot be checked from a Worker (no DNS API); Cloudflare's fetch reaches
 * no private network, so the name rules are what is left to hold here.
 */
import { isValidPublicIPv4Address, isValidPublicIPv6Address } from '@fedify/vocab-runtime';

/** Far above any actor or key document (Mastodon's are 3–10 KiB), far below what could hurt. */
export const DOCUMENT_MAX_BYTES = 64 * 1024;
/** A key or actor that takes longer is as good as missing (Mastodon allows 10 s in all). */
export const FETCH_TIMEOUT_MS = 5_000;
/** Document fetches to one host at once, per isolate. */
export const HOST_IN_FLIGHT = 4;
/** Document fetches to one host a minute, per isolate (cache hits are free). */
export const HOST_PER_MINUTE = 60;

/** Special-use names (RFC 6761, RFC 6762, RFC 8375, RFC 9476) and single-label names. */
const SPECIAL_NAME =
  /(^|\.)(localhost|local|internal|lan|localdomain|home\.arpa|test|invalid|example|onion|alt)$/;

/** Why `url` may not be fetched or posted to, or undefined when it may. */
export function targetProblem(url: string, allowPrivate: boolean): string | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not a URL`;
  }
  if (target.username || target.password) return `${target.origin} carries credentials`;
  if (allowPrivate) {
    return target.protocol === 'https:' || target.protocol === 'http:'
      ? undefined
      : `${target.protocol} is not http(s)`;
  }
  if (target.protocol !== 'https:') return `${target.origin} is not https`;
  // WHATWG URL parsing has already turned 2130706433 and 0x7f.1 into 127.0.0.1.
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (/^[\d.]+$/.test(host)) {
    return isValidPublicIPv4Address(host) ? undefined : `${host} is not a public address`;
  }
  if (host.includes(':')) {
    return isValidPublicIPv6Address(host) ? undefined : `${host} is not a public address`;
  }
  if (!host.includes('.') || SPECIAL_NAME.test(host.replace(/\.$/, ''))) {
    return `${host} is not a public name`;
  }
  return undefined;
}

/** A fetch that did not give a document: `status` when the server answered one. */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

/** The host's budget was spent: the sender should try again later (a 429, not a 401). */
export class HostBusyError extends RemoteError {
  constructor(readonly host: string) {
    super(`too many fetches to ${host} at once or this minute`);
    this.name = 'HostBusyError';
  }
}

type Budget = { inFlight: number; windowStart: number; count: number };
const budgets = new Map<string, Budget>();

/** Takes one of `host`'s slots, or throws HostBusyError; `release` gives it back. */
export function takeHostSlot(host: string, now = Date.now()): () => void {
  if (budgets.size > 10_000) {
    for (const [name, budget] of budgets) if (budget.inFlight === 0) budgets.delete(name);
  }
  let budget = budgets.get(host);
  if (!budget || now - budget.windowStart >= 60_000) {
    budget = { inFlight: budget?.inFlight ?? 0, windowStart: now, count: 0 };
    budgets.set(host, budget);
  }
  if (budget.inFlight >= HOST_IN_FLIGHT || budget.count >= HOST_PER_MINUTE) {
    throw new HostBusyError(host);
  }
  budget.inFlight += 1;
  budget.count += 1;
  const taken = budget;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    taken.inFlight -= 1;
  };
}

/** Reads at most `limit` bytes of `body`, then stops (cancels) and throws. */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new RemoteError(`the document is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Rejects after `ms` (the body of a fetch can stall after its headers came). */
function deadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RemoteError(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const AS_MEDIA = /^application\/(activity\+json|ld\+json|json)\s*(;|$)/i;

export interface DocumentFetchOptions {
  allowPrivate: boolean;
  /** Signs the GET (Mastodon's authorized fetch refuses unsigned ones). */
  sign?: (request: Request) => Promise<Request>;
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * GETs an ActivityStreams document within every bound above and parses it as JSON. Throws a
 * RemoteError saying why not (HostBusyError when the host's budget is spent).
 */
export async function fetchDocument(url: string, options: DocumentFetchOptions): Promise<unknown> {
  const problem = targetProblem(url, options.allowPrivate);
  if (problem) throw new RemoteError(`not fetched: ${problem}`);
  const target = new URL(url);
  target.hash = '';
  const release = takeHostSlot(target.host);
  const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS;
  const controller = new AbortController();
  const work = async () => {
    let request = new Request(target.href, {
      headers: {
        Accept:
          'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
        'User-Agent': 'kvpress (ActivityPub)',
      },
    });
    if (options.sign) request = await options.sign(request);
    const res = await fetch(request, { redirect: 'manual', signal: controller.signal });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new RemoteError(`${target.href} redirects (${res.status}); not followed`, res.status);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new RemoteError(`${target.href} answered ${res.status}`, res.status);
    }
    if (!AS_MEDIA.test(res.headers.get('Content-Type') ?? '')) {
      await res.body?.cancel();
      throw new RemoteError(`${target.href} is not JSON (${res.headers.get('Content-Type')})`);
    }
    const bytes = await readBounded(res.body, options.maxBytes ?? DOCUMENT_MAX_BYTES);
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch {
      throw new RemoteError(`${target.href} is not valid JSON`);
    }
  };
  try {
    return await deadline(work(), timeoutMs, `fetching ${target.href}`);
  } catch (error) {
    controller.abort();
    if (error instanceof RemoteError) throw error;
    throw new RemoteError(`${target.href}: ${error instanceof Error ? error.message : error}`);
  } finally {
    release();
  }
}
