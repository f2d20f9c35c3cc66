/**
 * The Durable Object's one alarm, shared by everything the site waits for (the outbox's retries,
 * pointer writes and garbage, scheduled articles, webhook deliveries). Each asks for a time; the
 * alarm only ever moves earlier, so no one's wait is pushed later by another's. An alarm already
 * due stays due: it fires, and the handler re-arms for what is left (inside the handler, the
 * alarm that is running counts as none).
 */
export class Alarm {
  readonly #storage: DurableObjectStorage;
  #running = false;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
  }

  /** Runs the alarm handler's work; while it runs, the running alarm does not hold a time. */
  async handle(work: () => Promise<void>): Promise<void> {
    this.#running = true;
    try {
      await work();
    } finally {
      this.#running = false;
    }
  }

  /** Asks for the alarm at `at` (ms) or earlier. */
  async request(at: number): Promise<void> {
    const current = await this.#storage.getAlarm();
    const held = current !== null && !(this.#running && current <= Date.now());
    if (!held || (current as number) > at) await this.#storage.setAlarm(at);
  }
}
