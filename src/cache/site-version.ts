/**
 * The published version, as this isolate knows it. Read from the small version record at
 * most once per `ttlMs` (concurrent requests share one read); when KV fails, the last version
 * read is kept so cached copies can still be served (stale-if-error).
 */
import type { ArticleStore } from '../articles/store';

export interface KnownVersion {
  /** The version, or 'unpublished' before the first publish. */
  version: string;
  /** True when KV could not be asked and this is the last version known. */
  stale: boolean;
}

export class SiteVersionCache {
  #known: string | undefined;
  #readAt = Number.NEGATIVE_INFINITY;
  #pending: Promise<string> | undefined;

  /** @throws the store's error when KV fails and no version was ever read. */
  async current(store: ArticleStore, ttlMs: number, now = Date.now()): Promise<KnownVersion> {
    if (this.#known !== undefined && now - this.#readAt < ttlMs) {
      return { version: this.#known, stale: false };
    }
    this.#pending ??= store
      .readVersion()
      .then((version) => {
        this.#known = version ?? 'unpublished';
        this.#readAt = now;
        return this.#known;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    try {
      return { version: await this.#pending, stale: false };
    } catch (error) {
      if (this.#known === undefined) throw error;
      return { version: this.#known, stale: true };
    }
  }
}
