/**
 * ActivityStreams 2.0 for the fediverse, as plain JSON (the reader loads no ActivityPub library):
 * the article as an `Article` object, the site's actor, its outbox. The publisher sends the same
 * objects in its Create/Update activities, so what a follower receives is what a fetch returns.
 * Mastodon's expectations (its FEDERATION.md and docs/spec/activitypub) are followed: `name` and
 * `url` for an Article, `summary` as its standfirst, hashtags as `Hashtag` tags with `href`,
 * `publicKey` (RSA, for every Mastodon) and an Ed25519 `Multikey` (FEP-521a) on the actor.
 */
import { facetSlug } from '../articles/facets';
import type { ArticleRecord } from '../articles/schema';
import { imageUrl } from './article-image';
import { toDateTime } from './dates';
import { escapeHtml } from './escape';
import {
  ACTOR_PATH,
  articlePath,
  FOLLOWERS_PATH,
  facetPath,
  INBOX_PATH,
  OUTBOX_PATH,
  SHARED_INBOX_PATH,
} from './paths';

export const AS_CONTEXT = 'https://www.w3.org/ns/activitystreams';
export const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';
/** An article's context: ActivityStreams and the two terms it adds (Mastodon's own). */
export const ARTICLE_CONTEXT = [AS_CONTEXT, { Hashtag: 'as:Hashtag', sensitive: 'as:sensitive' }];

/** The public halves of the actor's keys, as published (`ACTIVITYPUB_PUBLIC_KEYS`). */
export interface ActorKeys {
  /** SPKI PEM of the RSA key (RSASSA-PKCS1-v1_5, SHA-256): draft-cavage signatures. */
  rsa: string;
  /** The Ed25519 key as a multibase string (`z6Mk…`): RFC 9421 and FEP-8b32 signatures. */
  ed25519: string;
}

export interface ActorSettings {
  origin: string;
  siteName: string;
  /** `news` in `@news@example.com`. */
  handle: string;
  keys?: ActorKeys;
  /** An absolute URL of the actor's avatar. */
  icon: { url: string; mediaType: string };
}

/** `#UnitedStates` for `United States`: Mastodon's hashtags have no spaces. */
export function hashtagName(tag: string): string {
  return `#${tag
    .split(/[^\p{L}\p{N}_]+/u)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join('')}`;
}

/** The article's HTML as the fediverse shows it: the body, then its sources and photo credit. */
function contentOf(article: ArticleRecord): string {
  let html = article.bodyHtml;
  if (article.correction && article.dateModified) {
    html += `<p><strong>Correction (${escapeHtml(article.dateModified)}):</strong> ${escapeHtml(article.correction)}</p>`;
  }
  if (article.sources.length > 0) {
    html += `<p>Sources: ${article.sources.map(escapeHtml).join(', ')}</p>`;
  }
  if (article.image?.credit) html += `<p>Photo credit: ${escapeHtml(article.image.credit)}</p>`;
  return html;
}

/**
 * The article as an ActivityStreams `Article`: its id is the canonical URL (which serves this
 * object to `Accept: application/activity+json`), `url` the HTML page.
 */
export function articleActivity(article: ArticleRecord, origin: string, siteLang: string) {
  const url = origin + articlePath(article.slug);
  const lang = article.lang ?? siteLang;
  const content = contentOf(article);
  const picture = imageUrl(article, url);
  const { image, tags = [] } = article;
  return {
    '@context': ARTICLE_CONTEXT,
    id: url,
    type: 'Article',
    name: article.title,
    summary: escapeHtml(article.description),
    content,
    contentMap: { [lang]: content },
    mediaType: 'text/html',
    url: { type: 'Link', href: url, mediaType: 'text/html' },
    published: toDateTime(article.datePublished),
    ...(article.dateModified ? { updated: toDateTime(article.dateModified) } : {}),
    attributedTo: origin + ACTOR_PATH,
    to: [PUBLIC],
    cc: [origin + FOLLOWERS_PATH],
    sensitive: false,
    tag: tags.map((tag) => ({
      type: 'Hashtag',
      name: hashtagName(tag),
      href: origin + facetPath('tags', facetSlug(tag)),
    })),
    ...(picture && image
      ? {
          image: {
            type: 'Image',
            url: picture,
            ...(image.alt ? { name: image.alt } : {}),
            ...(image.width ? { width: image.width } : {}),
            ...(image.height ? { height: image.height } : {}),
          },
        }
      : {}),
  };
}

/** The site's one actor: a `Service` that publishes the articles. */
export function actorDocument({ origin, siteName, handle, keys, icon }: ActorSettings) {
  const id = origin + ACTOR_PATH;
  return {
    '@context': [
      AS_CONTEXT,
      'https://w3id.org/security/v1',
      // `assertionMethod` is a DID term (did/v1); `Multikey` and `publicKeyMultibase` are
      // multikey/v1's. The order is Fedify's and Mastodon's.
      'https://w3id.org/security/data-integrity/v1',
      'https://www.w3.org/ns/did/v1',
      'https://w3id.org/security/multikey/v1',
      {
        manuallyApprovesFollowers: 'as:manuallyApprovesFollowers',
        toot: 'http://joinmastodon.org/ns#',
        discoverable: 'toot:discoverable',
        indexable: 'toot:indexable',
      },
    ],
    id,
    type: 'Service',
    preferredUsername: handle,
    name: siteName,
    summary: `<p>The articles of ${escapeHtml(siteName)}, as they are published.</p>`,
    url: `${origin}/`,
    icon: { type: 'Image', ...icon },
    inbox: origin + INBOX_PATH,
    outbox: origin + OUTBOX_PATH,
    followers: origin + FOLLOWERS_PATH,
    endpoints: { sharedInbox: origin + SHARED_INBOX_PATH },
    manuallyApprovesFollowers: false,
    discoverable: true,
    indexable: true,
    ...(keys
      ? {
          publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: keys.rsa },
          assertionMethod: [
            {
              id: `${id}#ed25519-key`,
              type: 'Multikey',
              controller: id,
              publicKeyMultibase: keys.ed25519,
            },
          ],
        }
      : {}),
  };
}

/** A `Create` of an article, as the outbox lists it and the publisher delivers it. */
export function createActivity(article: ArticleRecord, origin: string, siteLang: string) {
  const object = articleActivity(article, origin, siteLang);
  const { '@context': context, ...rest } = object;
  return {
    '@context': context,
    // Per revision: an article unpublished and published again is a new Create, not a repeat.
    id: `${object.id}#create-${article.hash}`,
    type: 'Create',
    actor: origin + ACTOR_PATH,
    published: object.published,
    to: object.to,
    cc: object.cc,
    object: rest,
  };
}

/** An `Update` of an article: a new id per revision (its hash), as Mastodon de-duplicates by id. */
export function updateActivity(article: ArticleRecord, origin: string, siteLang: string) {
  const {
    '@context': context,
    id: _,
    type: __,
    ...create
  } = createActivity(article, origin, siteLang);
  return {
    '@context': context,
    ...create,
    id: `${create.object.id}#update-${article.hash}`,
    type: 'Update',
  };
}

/** A `Delete` of an unpublished article: its object a `Tombstone` at the canonical URL. */
export function deleteActivity(slug: string, origin: string, now = Date.now()) {
  const url = origin + articlePath(slug);
  return {
    '@context': AS_CONTEXT,
    id: `${url}#delete-${now}`,
    type: 'Delete',
    actor: origin + ACTOR_PATH,
    to: [PUBLIC],
    cc: [origin + FOLLOWERS_PATH],
    object: { id: url, type: 'Tombstone' },
  };
}

/** The `Accept` of a `Follow`, with the follow as it was received. */
export function acceptActivity(follow: object, origin: string) {
  return {
    '@context': AS_CONTEXT,
    id: `${origin}${ACTOR_PATH}#accept-${crypto.randomUUID()}`,
    type: 'Accept',
    actor: origin + ACTOR_PATH,
    object: follow,
  };
}
