/**
 * Who asks this object for the current version (the readers' version source): a count over the
 * last minute per location and per reader isolate, kept in memory only (it is an operator's
 * gauge, not state: an eviction starts it again). GET /api/status shows it. Bounded: at most
 * MAX_KEPT asks are remembered; past that the oldest are dropped and the count says so.
 */

export const WINDOW_MS = 60_000;
const MAX_KEPT = 100_000;

export interface VersionReadsReport {
  windowSeconds: number;
  total: number;
  /** True when more asks came than are remembered: the figures are a lower bound. */
  truncated: boolean;
  locations: { location: string; requests: number; isolates: number; busiestIsolate: number }[];
}

export class VersionReads {
  #asks: { at: number; location: string; isolate: string }[] = [];
  #truncated = false;

  record(location: string, isolate: string, now = Date.now()): void {
    this.#asks.push({ at: now, location, isolate });
    if (this.#asks.length > MAX_KEPT) {
      this.#asks = this.#asks.slice(-MAX_KEPT);
      this.#truncated = true;
    }
  }

  report(now = Date.now()): VersionReadsReport {
    const since = now - WINDOW_MS;
    const first = this.#asks.findIndex((ask) => ask.at > since);
    this.#asks = first === -1 ? [] : this.#asks.slice(first);
    const byLocation = new Map<string, Map<string, number>>();
    for (const { location, isolate } of this.#asks) {
      const isolates = byLocation.get(location) ?? new Map<string, number>();
      isolates.set(isolate, (isolates.get(isolate) ?? 0) + 1);
      byLocation.set(location, isolates);
    }
    return {
      windowSeconds: WINDOW_MS / 1000,
      total: this.#asks.length,
      truncated: this.#truncated,
      locations: [...byLocation].map(([location, isolates]) => ({
        location,
        requests: [...isolates.values()].reduce((a, b) => a + b, 0),
        isolates: isolates.size,
        busiestIsolate: Math.max(...isolates.values()),
      })),
    };
  }
}
