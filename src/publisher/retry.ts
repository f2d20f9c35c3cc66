/**
 * The one retry rule of the publisher's deliveries (webhooks, ActivityPub): after the base
 * delay, then doubling, at most an hour apart, MAX_ATTEMPTS in all (about 3.4 hours with the
 * 10 s base), then given up and logged.
 */
export const MAX_ATTEMPTS = 12;
const MAX_BACKOFF_MS = 3_600_000;

/** The wait before attempt `attempts + 1`, after `attempts` failures. */
export const backoffMs = (attempts: number, baseMs: number): number =>
  Math.min(baseMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);

/** How long one delivery may take before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;
