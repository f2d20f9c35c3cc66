/**
 * Server-Timing (W3C) for one response: where its time went. Workers' clocks advance only
 * across I/O, so pure CPU work (render) often measures 0 in production: that is the runtime.
 */
export class ServerTiming {
  readonly #metrics: string[] = [];

  /** Runs `work` and records its duration under `name`. */
  async measure<T>(name: string, work: () => T | Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.#metrics.push(`${name};dur=${(performance.now() - started).toFixed(1)}`);
    }
  }

  toString(): string {
    return this.#metrics.join(', ');
  }
}
