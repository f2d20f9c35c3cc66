/**
 * What a write tells the world, recorded in the write's own transaction: webhooks get every
 * event, ActivityPub followers a Create, Update or Delete. The one place the writer names its
 * consumers (issue 24's second step makes them subscribers of one stored event).
 */
import type { ArticleRecord } from '../../articles/schema';
import { articlePath } from '../../views/paths';
import type { Federation } from '../federation';
import type { Webhooks } from '../webhooks';

export class Events {
  readonly #webhooks: Webhooks;
  readonly #federation: Federation;

  constructor(webhooks: Webhooks, federation: Federation) {
    this.#webhooks = webhooks;
    this.#federation = federation;
  }

  /** A record was published, updated or scheduled. */
  changed(
    type: 'article.published' | 'article.updated' | 'article.scheduled',
    record: ArticleRecord,
  ): void {
    if (type === 'article.published') this.#federation.tell('published', record);
    if (type === 'article.updated') this.#federation.tell('updated', record);
    this.#webhooks.record(type, {
      slug: record.slug,
      path: articlePath(record.slug),
      hash: record.hash,
      title: record.title,
      ...(record.publishAt ? { publishAt: record.publishAt } : {}),
    });
  }

  /** A published article was taken off the site. */
  unpublished(slug: string): void {
    this.#webhooks.record('article.unpublished', { slug, path: articlePath(slug) });
    this.#federation.tell('unpublished', slug);
  }
}
