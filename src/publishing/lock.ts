/**
 * Serialises publishes within this isolate: a read-check-write under If-Match then cannot
 * interleave with another, so of two concurrent PUTs with the same If-Match exactly one wins.
 *
 * A waiter polls with its own timers instead of awaiting the holder's promise: in workerd a
 * continuation runs in the context of the request that resolved it, so awaiting another
 * request's promise would do this request's KV I/O on that request's behalf (refused), or hang
 * if that request has finished. KV has no compare-and-swap: across isolates and locations this
 * lock is the limit of what KV can promise (see README "Publishing").
 */
let held = false;

export async function withPublishLock<T>(work: () => Promise<T>): Promise<T> {
  while (held) await new Promise((resolve) => setTimeout(resolve, 5));
  held = true; // no await between the check and the set: atomic in one isolate
  try {
    return await work();
  } finally {
    held = false;
  }
}
