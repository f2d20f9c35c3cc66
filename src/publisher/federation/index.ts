/**
 * The site's ActivityPub write side, in the Durable Object: its followers, the deliveries of
 * Create/Update/Delete to them (and of Accept to a new follower), and the alarm's duty to send
 * them. The objects are the reader's (src/views/activity.ts), so a delivery carries what a fetch
 * of the article returns. Off (nothing recorded) until SITE_URL names the site's origin: ids are
 * absolute URLs.
 */
import type { ArticleRecord } from '../../articles/schema';
import {
  acceptActivity,
  createActivity,
  deleteActivity,
  updateActivity,
} from '../../views/activity';
import { ACTOR_PATH } from '../../views/paths';
import type { ConnectionPool } from '../connection-pool';
import type { StoredEvent } from '../site-writer/event-log';
import { Deliveries } from './deliveries';
import { type Follower, Followers } from './followers';
import { signingKeys } from './keys';
import { Replays } from './replays';

export type { Receipt } from './replays';
export type { Follower };

export interface FederationSettings {
  /** SITE_URL without a trailing slash, or '' (federation off). */
  origin: string;
  siteLang: string;
  privateKeys?: string;
  publicKeys?: string;
  retryBaseMs: number;
  /** Loopback peers stand in for public servers (the federation test): never when deployed. */
  allowPrivate: boolean;
}

export class Federation {
  readonly followers: Followers;
  readonly deliveries: Deliveries;
  readonly replays: Replays;
  readonly #settings: () => FederationSettings;

  constructor(sql: SqlStorage, settings: () => FederationSettings) {
    this.#settings = settings;
    this.followers = new Followers(sql);
    this.replays = new Replays(sql);
    this.deliveries = new Deliveries(
      sql,
      this.followers,
      () => settings().retryBaseMs,
      () => settings().allowPrivate,
    );
  }

  /**
   * The activity that tells followers of a publish, an edit or an unpublish: stored once with
   * the write's event (in its transaction), whatever the number of followers. Undefined while
   * federation is off (no SITE_URL or no keys).
   */
  activityFor(change: 'published' | 'updated', record: ArticleRecord): object | undefined;
  activityFor(change: 'unpublished', slug: string): object | undefined;
  activityFor(
    change: 'published' | 'updated' | 'unpublished',
    subject: ArticleRecord | string,
  ): object | undefined {
    const { origin, siteLang, privateKeys } = this.#settings();
    if (!origin || !privateKeys) return undefined;
    return typeof subject === 'string'
      ? deleteActivity(subject, origin)
      : change === 'published'
        ? createActivity(subject, origin, siteLang)
        : updateActivity(subject, origin, siteLang);
  }

  /**
   * The consumer's step, after the commit: one delivery per follower server for `event`'s
   * activity, by reference (the body stays in the event), at most `limit` servers past `after`.
   * Returns how many servers it expanded, and the last one (null when the event is done).
   */
  expand(
    event: StoredEvent,
    after: string | null,
    limit: number,
    now = Date.now(),
  ): { count: number; after: string | null } {
    if (event.activity === null) return { count: 0, after: null };
    const inboxes = this.followers.inboxesAfter(after, limit);
    this.deliveries.recordReference(event, inboxes, now);
    return {
      count: inboxes.length,
      after: inboxes.length < limit ? null : (inboxes.at(-1) ?? null),
    };
  }

  /** A new (or renewed) follower: stored, and sent an Accept of its Follow. */
  follow(follower: Follower, follow: { id?: string }): boolean {
    const { origin, privateKeys } = this.#settings();
    const added = this.followers.add(follower);
    if (follow.id) this.replays.actedOn(follow.id);
    if (origin && privateKeys)
      this.deliveries.record(acceptActivity(follow, origin), [follower.inbox]);
    return added;
  }

  unfollow(actor: string): boolean {
    return this.followers.remove(actor);
  }

  /** The alarm's duty: sends what is due, when the actor has its keys, within `pool`. */
  async deliverDue(pool: ConnectionPool): Promise<void> {
    const { origin, privateKeys, publicKeys } = this.#settings();
    if (!origin || this.deliveries.nextAt() === undefined) return;
    const keys = await signingKeys(privateKeys, publicKeys);
    // Keys that do not load (logged) would make every alarm try again at once: wait an hour.
    if (!keys) return this.deliveries.postpone(Date.now() + 3_600_000);
    await this.deliveries.deliverDue(keys, new URL(`${origin}${ACTOR_PATH}#main-key`), pool);
  }
}
