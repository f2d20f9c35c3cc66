/**
 * Serialises publishes within this isolate: a read-check-write under If-Match then cannot
 * interleave with another, so of two concurrent PUTs with the same If-Match that reach this
 * isolate exactly one wins.
 *
 * A waiter polls with its own timers instead of awaiting the holder's promise: in workerd a
 * continuation runs in the context of the request that resolved it, so awaiting another
 * request's promise would do this request's KV I/O on that request's behalf (refused), or hang
 * if that request has finished. A holder that never finishes (its request was cancelled) loses
 * the lock after HOLD_LIMIT_MS; a waiter gives up after WAIT_LIMIT_MS.
 */
const HOLD_LIMIT_MS = 30_000;
const WAIT_LIMIT_MS = 10_000;

let heldSince: number | undefined;

/** The lock was not free within WAIT_LIMIT_MS: answer 503, the client retries. */
export class PublishBusy extends Error {}

export async function withPublishLock<T>(work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  while (heldSince !== undefined && Date.now() - heldSince < HOLD_LIMIT_MS) {
    if (Date.now() - started > WAIT_LIMIT_MS) throw new PublishBusy('another publish is running');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const mine = Date.now();
  heldSince = mine; // no await between the check and the set: atomic in one isolate
  try {
    return await work();
  } finally {
    if (heldSince === mine) heldSince = undefined;
  }
}
