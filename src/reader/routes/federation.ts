/**
 * The fediverse's way in, read side: WebFinger (RFC 7033) for `@<handle>@<host>`, host-meta
 * (RFC 6415), NodeInfo 2.1, the site's actor and its outbox. All of it is made from settings and
 * the index the isolate holds (the outbox reads records like a feed), no ActivityPub library.
 * The followers collection and the inboxes are the publisher's (routes/publisher.ts forwards them).
 */
import type { Context } from 'hono';
import { Hono } from 'hono/tiny';
import { articleKey } from '../../articles/keys';
import { StoreUnavailable } from '../../articles/store';
import { negotiate } from '../../http/negotiate';
import { REPRESENTATIONS } from '../../http/representations';
import { ARTICLE_CONTEXT, AS_CONTEXT, actorDocument, createActivity } from '../../views/activity';
import { escapeXml } from '../../views/escape';
import { ACTOR_ICON_PATH, ACTOR_PATH, OUTBOX_PATH } from '../../views/paths';
import type { AppEnv } from '../env';
import { currentSite, serveRepresentation } from '../serve';
import { siteOrigin } from '../site-url';
import { notAcceptable, notFound, respondWithError } from './errors';

export const federation = new Hono<AppEnv>();

const AS_REPRESENTATIONS = [REPRESENTATIONS.activity, REPRESENTATIONS.activityLd] as const;
/** Discovery documents change with a deploy, not a publish: an hour is plenty. */
const DISCOVERY_CACHE = 'public, max-age=3600';
const NODEINFO_SCHEMA = 'http://nodeinfo.diaspora.software/ns/schema/2.1';

const actorSettings = (c: Context<AppEnv>) => {
  const { siteName, activityPub } = c.var.config;
  const origin = siteOrigin(c);
  return {
    origin,
    siteName,
    handle: activityPub.handle,
    ...(activityPub.keys ? { keys: activityPub.keys } : {}),
    icon: activityPub.icon
      ? { url: activityPub.icon, mediaType: mediaTypeOf(activityPub.icon) }
      : // The mark as a PNG (rendered at build, served by the publisher): Mastodon stores no SVG.
        { url: `${origin}${ACTOR_ICON_PATH}`, mediaType: 'image/png' },
  };
};

function mediaTypeOf(url: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  const types: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    webp: 'image/webp',
    svg: 'image/svg+xml',
  };
  return types[extension ?? ''] ?? 'image/png';
}

// RFC 7033 §4: `resource` is required (400 without it), the answer is a JRD, open to any origin.
federation.get('/.well-known/webfinger', async (c) => {
  const resource = c.req.query('resource');
  const cors = { 'Access-Control-Allow-Origin': '*' };
  if (!resource) {
    return respondWithError(
      c,
      { status: 400, title: 'Bad Request', detail: 'The resource parameter is required.' },
      cors,
    );
  }
  const origin = siteOrigin(c);
  const host = new URL(origin).host;
  const { handle } = c.var.config.activityPub;
  const actor = origin + ACTOR_PATH;
  const acct = /^acct:([^@]+)@(.+)$/i.exec(resource);
  const known =
    resource === actor ||
    (acct?.[1]?.toLowerCase() === handle.toLowerCase() && acct[2]?.toLowerCase() === host);
  if (!known) {
    return c.body(
      JSON.stringify({ title: 'Not Found', status: 404, detail: `No one here is ${resource}.` }),
      404,
      {
        ...cors,
        'Content-Type': 'application/problem+json',
        'Cache-Control': 'public, max-age=60',
      },
    );
  }
  const jrd = {
    subject: `acct:${handle}@${host}`,
    aliases: [actor, `${origin}/`],
    links: [
      { rel: 'self', type: 'application/activity+json', href: actor },
      { rel: 'http://webfinger.net/rel/profile-page', type: 'text/html', href: `${origin}/` },
    ],
  };
  return c.body(JSON.stringify(jrd), 200, {
    ...cors,
    'Content-Type': 'application/jrd+json',
    'Cache-Control': DISCOVERY_CACHE,
  });
});

// RFC 6415: where WebFinger is, for servers that look there first.
federation.get('/.well-known/host-meta', (c) => {
  const template = `${siteOrigin(c)}/.well-known/webfinger?resource={uri}`;
  return c.body(
    `<?xml version="1.0" encoding="UTF-8"?>\n<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n<Link rel="lrdd" template="${escapeXml(template)}"/>\n</XRD>\n`,
    200,
    {
      'Content-Type': 'application/xrd+xml; charset=utf-8',
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': DISCOVERY_CACHE,
    },
  );
});

federation.get('/.well-known/nodeinfo', (c) =>
  c.body(
    JSON.stringify({ links: [{ rel: NODEINFO_SCHEMA, href: `${siteOrigin(c)}/nodeinfo/2.1` }] }),
    200,
    {
      'Content-Type': 'application/json',
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': DISCOVERY_CACHE,
    },
  ),
);

federation.get('/nodeinfo/2.1', async (c) => {
  const site = await currentSite(c);
  const body = {
    version: '2.1',
    software: { name: 'kvpress', version: '0.1.0' },
    protocols: ['activitypub'],
    services: { inbound: [], outbound: ['atom1.0'] },
    openRegistrations: false,
    usage: {
      users: { total: 1, activeMonth: 1, activeHalfyear: 1 },
      localPosts: site.articles.length,
    },
    metadata: { nodeName: c.var.config.siteName },
  };
  return c.body(JSON.stringify(body), 200, {
    'Content-Type': `application/json; profile="${NODEINFO_SCHEMA}#"`,
    'Access-Control-Allow-Origin': '*',
    'Cache-Control': 'public, max-age=300',
  });
});

// The actor: ActivityStreams for programs; a person opening it is sent to the home page.
federation.get(ACTOR_PATH, async (c) => {
  const representation = negotiate(c, [...AS_REPRESENTATIONS, REPRESENTATIONS.html] as const);
  if (!representation) return notAcceptable(c, AS_REPRESENTATIONS, () => ACTOR_PATH);
  if (representation.name === 'html') {
    return c.body(null, 303, { Location: '/', Vary: 'Accept', 'Cache-Control': DISCOVERY_CACHE });
  }
  const site = await currentSite(c);
  return serveRepresentation(c, {
    site,
    path: ACTOR_PATH,
    representation: representation.name,
    contentType: representation.contentType,
    headers: { Vary: 'Accept', 'Cache-Tag': 'kvpress,actor' },
    // The actor changes with the settings only (their fingerprint is in the ETag).
    published: { hash: 'actor' },
    body: async () => JSON.stringify(actorDocument(actorSettings(c))),
  });
});

const PAGE_NUMBER = /^[1-9][0-9]{0,5}$/;

// The outbox: an OrderedCollection of the articles' Create activities, newest first, in pages.
federation.get(OUTBOX_PATH, async (c) => {
  const pageParam = c.req.query('page');
  if (pageParam !== undefined && !PAGE_NUMBER.test(pageParam)) return notFound(c);
  const representation = negotiate(c, AS_REPRESENTATIONS);
  if (!representation) return notAcceptable(c, AS_REPRESENTATIONS, () => OUTBOX_PATH);
  const site = await currentSite(c);
  const { pageSize, siteLang } = c.var.config;
  const origin = siteOrigin(c);
  const pages = Math.max(1, Math.ceil(site.articles.length / pageSize));
  const page = pageParam === undefined ? undefined : Number(pageParam);
  if (page !== undefined && page > pages) return notFound(c);
  const id = origin + OUTBOX_PATH;
  const pageId = (n: number) => `${id}?page=${n}`;
  return serveRepresentation(c, {
    site,
    path: page === undefined ? OUTBOX_PATH : `${OUTBOX_PATH}?page=${page}`,
    representation: representation.name,
    contentType: representation.contentType,
    headers: { Vary: 'Accept', 'Cache-Tag': 'kvpress,index' },
    published: { hash: site.version, ...site.lastModified },
    body: async (timing) => {
      if (page === undefined) {
        return JSON.stringify({
          '@context': AS_CONTEXT,
          id,
          type: 'OrderedCollection',
          totalItems: site.articles.length,
          first: pageId(1),
          last: pageId(pages),
        });
      }
      const listed = site.articles.slice((page - 1) * pageSize, page * pageSize);
      const records = await timing.measure('kv', () =>
        Promise.all(
          listed.map(async ({ slug, hash }) => {
            const record = await c.var.store.readArticle(slug, hash);
            if (!record) {
              throw new StoreUnavailable(
                articleKey(slug, hash),
                'listed in the index but not in KV',
              );
            }
            return record;
          }),
        ),
      );
      return timing.measure('render', () =>
        JSON.stringify({
          // The items' own terms (Hashtag, sensitive) with the page's.
          '@context': ARTICLE_CONTEXT,
          id: pageId(page),
          type: 'OrderedCollectionPage',
          partOf: id,
          totalItems: site.articles.length,
          ...(page > 1 ? { prev: pageId(page - 1) } : {}),
          ...(page < pages ? { next: pageId(page + 1) } : {}),
          orderedItems: records.map((record) => {
            const { '@context': _, ...activity } = createActivity(record, origin, siteLang);
            return activity;
          }),
        }),
      );
    },
  });
});
