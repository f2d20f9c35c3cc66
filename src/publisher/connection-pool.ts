/**
 * At most `size` deliveries in flight at once in one invocation: Cloudflare allows an invocation
 * six simultaneous open connections, and a request past them waits for one to close (workerd
 * locally does not enforce it, so the local figures would flatter the design without this). One
 * pool is shared by every queue the alarm sends, so webhooks and ActivityPub take turns instead
 * of one waiting for the other to finish.
 */
export const CONNECTIONS_PER_INVOCATION = 6;

export class ConnectionPool {
  readonly #size: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(size = CONNECTIONS_PER_INVOCATION) {
    this.#size = size;
  }

  /** Runs `work` when a connection is free. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#size) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#active += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next in line, or is given back.
      if (next) next();
      else this.#active -= 1;
    }
  }
}
