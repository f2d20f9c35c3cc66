/**
 * Serialises publishes within this isolate: a read-check-write under If-Match then cannot
 * interleave with another, so of two concurrent PUTs with the same If-Match exactly one wins.
 * KV has no compare-and-swap: across isolates and locations this is the limit of what KV can
 * promise (see README "Publishing").
 */
let tail: Promise<unknown> = Promise.resolve();

export function withPublishLock<T>(work: () => Promise<T>): Promise<T> {
  const run = tail.then(work, work);
  tail = run.catch(() => undefined);
  return run;
}
