/**
 * What a write tells the world: one event in the write's own transaction (event-log.ts), with
 * the webhook's data and the ActivityPub activity stored once. The writer knows no consumer:
 * webhooks and ActivityPub follow the log after the commit (consumers.ts).
 */
import type { ArticleRecord } from '../../articles/schema';
import { articlePath } from '../../views/paths';
import type { Federation } from '../federation';
import type { EventLog } from './event-log';

export class Events {
  readonly #log: EventLog;
  readonly #federation: Federation;

  constructor(log: EventLog, federation: Federation) {
    this.#log = log;
    this.#federation = federation;
  }

  /** A record was published, updated or scheduled. */
  changed(
    type: 'article.published' | 'article.updated' | 'article.scheduled',
    record: ArticleRecord,
  ): void {
    const data = {
      slug: record.slug,
      path: articlePath(record.slug),
      hash: record.hash,
      title: record.title,
      ...(record.publishAt ? { publishAt: record.publishAt } : {}),
    };
    const activity =
      type === 'article.scheduled'
        ? undefined
        : this.#federation.activityFor(
            type === 'article.published' ? 'published' : 'updated',
            record,
          );
    this.#log.record(type, data, activity);
  }

  /** A published article was taken off the site. */
  unpublished(slug: string): void {
    this.#log.record(
      'article.unpublished',
      { slug, path: articlePath(slug) },
      this.#federation.activityFor('unpublished', slug),
    );
  }
}
