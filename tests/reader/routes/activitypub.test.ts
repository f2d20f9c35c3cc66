/**
 * The fediverse's read side, from KV like every representation: the article as an
 * ActivityStreams `Article` on its canonical URL (Mastodon's `Accept`) and a variant URL, the
 * site's actor, WebFinger, NodeInfo, host-meta and the outbox. The write side (inbox, followers,
 * deliveries) is proven against a real peer in tests/scripts/federation.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { testApp } from '../../support/app';
import { ARTICLE_PATH, fetchWorker, ORIGIN } from '../../support/fetch';

const MASTODON =
  'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams", text/html;q=0.1';
const AS_LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"';
// Public halves only (the reader never sees a private key): well-formed, as the keys script writes.
const PUBLIC_KEYS = JSON.stringify({
  rsa: '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtest\n-----END PUBLIC KEY-----\n',
  ed25519: 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
});

describe('the article as ActivityStreams', () => {
  it("answers Mastodon's Accept on the canonical URL with an Article", async () => {
    const res = await fetchWorker(ARTICLE_PATH, { headers: { Accept: MASTODON } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe(AS_LD);
    expect(res.headers.get('Vary')).toBe('Accept');
    const object = (await res.json()) as Record<string, unknown>;
    expect(object).toMatchObject({
      id: ORIGIN + ARTICLE_PATH,
      type: 'Article',
      name: "Trump Seeks To Renew Relations With Putin's Russia",
      summary:
        'Russian president Vladimir Putin has announced that he will work to reestablish relations between the United States and Russia.',
      mediaType: 'text/html',
      url: { type: 'Link', href: ORIGIN + ARTICLE_PATH, mediaType: 'text/html' },
      published: '2016-11-14T00:00:00Z',
      attributedTo: `${ORIGIN}/actor`,
      to: ['https://www.w3.org/ns/activitystreams#Public'],
      cc: [`${ORIGIN}/actor/followers`],
      tag: [
        { type: 'Hashtag', name: '#Russia', href: `${ORIGIN}/tags/russia` },
        { type: 'Hashtag', name: '#UnitedStates', href: `${ORIGIN}/tags/united-states` },
        { type: 'Hashtag', name: '#VladimirPutin', href: `${ORIGIN}/tags/vladimir-putin` },
        { type: 'Hashtag', name: '#DonaldTrump', href: `${ORIGIN}/tags/donald-trump` },
      ],
    });
    expect(object.content).toMatch(/^<p>Russian president Vladimir Putin/);
    expect(object.content).toContain('<p>Photo credit: brando.n/Flickr</p>');
    expect(object).not.toHaveProperty('image');
  });

  it('has its own ETag, a 304, and a variant URL that needs no Accept', async () => {
    const as = await fetchWorker(ARTICLE_PATH, {
      headers: { Accept: 'application/activity+json' },
    });
    expect(as.headers.get('Content-Type')).toBe('application/activity+json');
    const html = await fetchWorker(ARTICLE_PATH, { headers: { Accept: 'text/html' } });
    const ld = await fetchWorker(ARTICLE_PATH, { headers: { Accept: 'application/ld+json' } });
    const tags = [as, html, ld].map((r) => r.headers.get('ETag'));
    expect(new Set(tags).size).toBe(3);
    const again = await fetchWorker(ARTICLE_PATH, {
      headers: { Accept: 'application/activity+json', 'If-None-Match': tags[0] ?? '' },
    });
    expect(again.status).toBe(304);
    const variant = await fetchWorker(`${ARTICLE_PATH}.activity.json`);
    expect(variant.headers.get('Content-Type')).toBe('application/activity+json');
    expect(variant.headers.get('Vary')).toBeNull();
    expect(variant.headers.get('Link')).toContain(`<${ORIGIN}${ARTICLE_PATH}>; rel="canonical"`);
    expect(((await variant.json()) as { id: string }).id).toBe(ORIGIN + ARTICLE_PATH);
  });

  it('still gives browsers HTML and plain application/ld+json the schema.org NewsArticle', async () => {
    const browser = await fetchWorker(ARTICLE_PATH, {
      headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(browser.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    const ld = await fetchWorker(ARTICLE_PATH, { headers: { Accept: 'application/ld+json' } });
    expect(((await ld.json()) as { '@type': string })['@type']).toBe('NewsArticle');
  });

  it('gives a picture as the image, with its size and alt', async () => {
    const res = await fetchWorker('/articles/how-a-kvpress-article-shows-a-picture.activity.json');
    expect(((await res.json()) as { image: unknown }).image).toEqual({
      type: 'Image',
      url: `${ORIGIN}/favicon.svg`,
      name: 'The kvpress nameplate mark, a white letter K on a dark rounded square',
      width: 640,
      height: 640,
    });
  });
});

describe('the site actor', () => {
  it('is a Service with its inbox, outbox, followers, and both public keys', async () => {
    const app = testApp({ ACTIVITYPUB_PUBLIC_KEYS: PUBLIC_KEYS, ACTIVITYPUB_HANDLE: 'press' });
    const res = await app.fetch('/actor', { headers: { Accept: 'application/activity+json' } });
    expect(res.headers.get('Content-Type')).toBe('application/activity+json');
    const actor = (await res.json()) as Record<string, unknown>;
    expect(actor).toMatchObject({
      type: 'Service',
      preferredUsername: 'press',
      name: 'kvpress',
      manuallyApprovesFollowers: false,
    });
    const self = actor.id as string;
    expect(actor.inbox).toBe(`${self}/inbox`);
    expect(actor.outbox).toBe(`${self}/outbox`);
    expect(actor.followers).toBe(`${self}/followers`);
    expect(actor.publicKey).toEqual({
      id: `${self}#main-key`,
      owner: self,
      publicKeyPem: JSON.parse(PUBLIC_KEYS).rsa,
    });
    expect(actor.assertionMethod).toEqual([
      {
        id: `${self}#ed25519-key`,
        type: 'Multikey',
        controller: self,
        publicKeyMultibase: 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      },
    ]);
  });

  it('shows the mark as a 400 px PNG icon, which Mastodon stores (it stores no SVG)', async () => {
    const app = testApp();
    const actor = (await (
      await app.fetch('/actor', { headers: { Accept: 'application/activity+json' } })
    ).json()) as { icon: { url: string; mediaType: string } };
    expect(actor.icon).toMatchObject({ mediaType: 'image/png' });
    const icon = await app.fetch(new URL(actor.icon.url).pathname);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('Content-Type')).toBe('image/png');
    const bytes = new Uint8Array(await icon.arrayBuffer());
    // The PNG signature, then IHDR's width and height (big-endian, bytes 16–23).
    expect([...bytes.slice(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const view = new DataView(bytes.buffer);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([400, 400]);
  });

  it('has no keys until they are configured, and sends a person to the home page', async () => {
    // No keys configured (explicitly: a developer's local settings may have some).
    const app = testApp({ ACTIVITYPUB_PUBLIC_KEYS: '' });
    const actor = (await (
      await app.fetch('/actor', { headers: { Accept: 'application/activity+json' } })
    ).json()) as Record<string, unknown>;
    expect(actor).not.toHaveProperty('publicKey');
    const person = await fetchWorker('/actor', {
      headers: { Accept: 'text/html' },
      redirect: 'manual',
    });
    expect(person.status).toBe(303);
    expect(person.headers.get('Location')).toBe('/');
  });
});

describe('discovery', () => {
  it('WebFinger finds the actor by acct: and by its URL, with CORS open', async () => {
    for (const resource of [
      'acct:news@kvpress.test',
      `${ORIGIN}/actor`,
      'acct:NEWS@KVPRESS.TEST',
    ]) {
      const res = await fetchWorker(
        `/.well-known/webfinger?resource=${encodeURIComponent(resource)}`,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('application/jrd+json');
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
      expect(await res.json()).toEqual({
        subject: 'acct:news@kvpress.test',
        aliases: [`${ORIGIN}/actor`, `${ORIGIN}/`],
        links: [
          { rel: 'self', type: 'application/activity+json', href: `${ORIGIN}/actor` },
          { rel: 'http://webfinger.net/rel/profile-page', type: 'text/html', href: `${ORIGIN}/` },
        ],
      });
    }
  });

  it('WebFinger answers 404 for anyone else and 400 without a resource', async () => {
    for (const resource of [
      'acct:someone@kvpress.test',
      'acct:news@elsewhere.example',
      'https://x/',
    ]) {
      const res = await fetchWorker(
        `/.well-known/webfinger?resource=${encodeURIComponent(resource)}`,
      );
      expect(res.status).toBe(404);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    }
    expect((await fetchWorker('/.well-known/webfinger')).status).toBe(400);
  });

  it('NodeInfo 2.1 and host-meta point the way', async () => {
    const links = (await (await fetchWorker('/.well-known/nodeinfo')).json()) as {
      links: { rel: string; href: string }[];
    };
    expect(links.links).toEqual([
      { rel: 'http://nodeinfo.diaspora.software/ns/schema/2.1', href: `${ORIGIN}/nodeinfo/2.1` },
    ]);
    const info = await fetchWorker('/nodeinfo/2.1');
    expect(info.headers.get('Content-Type')).toBe(
      'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"',
    );
    expect(await info.json()).toMatchObject({
      version: '2.1',
      software: { name: 'kvpress' },
      protocols: ['activitypub'],
      openRegistrations: false,
      usage: { users: { total: 1 }, localPosts: 2 },
    });
    const meta = await (await fetchWorker('/.well-known/host-meta')).text();
    expect(meta).toContain(
      `<Link rel="lrdd" template="${ORIGIN}/.well-known/webfinger?resource={uri}"/>`,
    );
  });
});

describe('the outbox and the followers', () => {
  it('the outbox is an OrderedCollection of Create activities, newest first, in pages', async () => {
    const outbox = (await (await fetchWorker('/actor/outbox')).json()) as Record<string, unknown>;
    expect(outbox).toMatchObject({
      type: 'OrderedCollection',
      totalItems: 2,
      first: `${ORIGIN}/actor/outbox?page=1`,
    });
    const page = (await (await fetchWorker('/actor/outbox?page=1')).json()) as {
      type: string;
      orderedItems: { type: string; actor: string; object: { id: string } }[];
    };
    expect(page.type).toBe('OrderedCollectionPage');
    expect(page.orderedItems.map((item) => [item.type, item.object.id])).toEqual([
      ['Create', ORIGIN + ARTICLE_PATH],
      ['Create', `${ORIGIN}/articles/how-a-kvpress-article-shows-a-picture`],
    ]);
    expect((await fetchWorker('/actor/outbox?page=2')).status).toBe(404);
  });

  it("the followers collection is the publisher's, and shows its count", async () => {
    const res = await fetchWorker('/actor/followers');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${ORIGIN}/actor/followers`,
      type: 'OrderedCollection',
      totalItems: 0,
    });
  });
});
