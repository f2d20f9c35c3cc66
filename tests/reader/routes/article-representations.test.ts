/**
 * The four representations of an article, their variant URLs, and the headers that tie
 * them together (Content-Location, Link, Vary).
 */
import { describe, expect, it } from 'vitest';
import { ARTICLE_PATH, fetchWorker, ORIGIN } from '../../support/fetch';

const VARIANTS = [
  ['.html', 'text/html; charset=utf-8'],
  ['.json', 'application/json'],
  ['.md', 'text/markdown; charset=utf-8'],
  ['.activity.json', 'application/activity+json'],
  ['.jsonld', 'application/ld+json'],
] as const;

describe('variant URLs', () => {
  it.each(VARIANTS)('%s serves %s whatever the Accept header says', async (ext, type) => {
    const res = await fetchWorker(ARTICLE_PATH + ext, { headers: { Accept: 'image/png' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe(type);
    expect(res.headers.get('Vary')).toBeNull();
    expect(res.headers.get('Content-Location')).toBe(ARTICLE_PATH + ext);
    const links = parseLinkHeader(res.headers.get('Link') ?? '');
    expect(links).toContainEqual({ href: ORIGIN + ARTICLE_PATH, rel: 'canonical' });
    for (const [otherExt, otherType] of VARIANTS.filter(([e]) => e !== ext)) {
      expect(links).toContainEqual({
        href: ORIGIN + ARTICLE_PATH + otherExt,
        rel: 'alternate',
        type: otherType.split(';')[0],
      });
    }
  });

  it('writes Link as RFC 8288 says, absolute, the AS profile in an escaped quoted-string', async () => {
    const res = await fetchWorker(ARTICLE_PATH);
    const field = res.headers.get('Link') ?? '';
    expect(field).toContain(
      `<${ORIGIN}${ARTICLE_PATH}.activity.json>; rel="alternate"; type="application/ld+json; profile=\\"https://www.w3.org/ns/activitystreams\\""`,
    );
    const links = parseLinkHeader(field);
    expect(links).toContainEqual({
      href: `${ORIGIN}${ARTICLE_PATH}.activity.json`,
      rel: 'alternate',
      type: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
    });
    for (const link of links) expect(new URL(link.href ?? '').origin).toBe(ORIGIN);
  });

  it.each([
    ['.json', 'application/problem+json'],
    ['.jsonld', 'application/problem+json'],
    ['.md', 'text/markdown; charset=utf-8'],
    ['.html', 'text/html; charset=utf-8'],
  ])(
    'answers an unknown slug at a %s variant URL with a 404 in that format, whatever Accept says',
    async (extension, type) => {
      for (const accept of ['text/html', 'application/json', '*/*']) {
        const res = await fetchWorker(`/articles/no-such-article${extension}`, {
          headers: { Accept: accept },
        });
        expect(res.status).toBe(404);
        expect(res.headers.get('Content-Type')).toBe(type);
        // The bytes of a variant URL's answer never depend on Accept.
        expect(res.headers.get('Vary')).toBeNull();
        const body = await res.text();
        if (type.startsWith('application/problem+json'))
          expect(JSON.parse(body)).toMatchObject({ status: 404 });
        if (extension === '.md') expect(body).toMatch(/^# Not Found\n/);
      }
      // A slug that cannot exist is answered the same way.
      const bad = await fetchWorker(`/articles/Not_A_Slug${extension}`);
      expect(bad.status).toBe(404);
      expect(bad.headers.get('Content-Type')).toBe(type);
    },
  );

  it('treats an unknown extension as part of the slug: 404', async () => {
    const res = await fetchWorker(`${ARTICLE_PATH}.xml`);
    expect(res.status).toBe(404);
  });
});

describe('the negotiated URL', () => {
  it.each([
    ['text/markdown', '.md', 'text/markdown; charset=utf-8'],
    ['application/ld+json', '.jsonld', 'application/ld+json'],
    ['application/json', '.json', 'application/json'],
    ['text/html', '.html', 'text/html; charset=utf-8'],
  ])('names the served variant in Content-Location for Accept %s', async (accept, ext, type) => {
    const res = await fetchWorker(ARTICLE_PATH, { headers: { Accept: accept } });
    expect(res.headers.get('Content-Type')).toBe(type);
    expect(res.headers.get('Vary')).toBe('Accept');
    expect(res.headers.get('Content-Location')).toBe(ARTICLE_PATH + ext);
    const link = res.headers.get('Link') ?? '';
    // Every other representation: the AS2 object is one body under two media types.
    expect(link.match(/rel="alternate"/g)).toHaveLength(5);
    expect(link).not.toContain(`<${ORIGIN}${ARTICLE_PATH}${ext}>`);
  });

  it('answers 406 problem+json listing every representation when nothing is acceptable', async () => {
    const res = await fetchWorker(ARTICLE_PATH, { headers: { Accept: 'image/png' } });
    expect(res.status).toBe(406);
    expect(res.headers.get('Vary')).toBe('Accept');
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const problem = (await res.json()) as { available: unknown };
    expect(problem.available).toEqual([
      ...VARIANTS.map(([ext, type]) => ({ type: type.split(';')[0], href: ARTICLE_PATH + ext })),
      {
        type: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
        href: `${ARTICLE_PATH}.activity.json`,
      },
    ]);
  });

  it('answers 406 on the home page too', async () => {
    const res = await fetchWorker('/', { headers: { Accept: 'text/markdown' } });
    expect(res.status).toBe(406);
    expect(res.headers.get('Vary')).toBe('Accept');
  });
});

describe('the Markdown representation', () => {
  it('is a document with the title, a metadata block, the body, sources and credit', async () => {
    const md = await (await fetchWorker(`${ARTICLE_PATH}.md`)).text();
    expect(md).toMatch(/^# Trump Seeks To Renew Relations With Putin's Russia\n\n/);
    expect(md).toContain(`- URL: <${ORIGIN}${ARTICLE_PATH}>`);
    expect(md).toContain('- Published: 2016-11-14');
    expect(md).not.toContain('- By:');
    expect(md).toContain('According to the BBC, Putin wished Trump "success in implementing');
    expect(md).toContain(
      '## Sources\n\n- BBC\n- RT\n- New York Review of Books\n- The New York Times',
    );
    expect(md).toMatch(/Photo credit: brando\.n\/Flickr\n$/);
  });
});

describe('the JSON-LD representation', () => {
  it('is a schema.org NewsArticle without an author', async () => {
    const ld = (await (await fetchWorker(`${ARTICLE_PATH}.jsonld`)).json()) as Record<
      string,
      unknown
    >;
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: "Trump Seeks To Renew Relations With Putin's Russia",
      datePublished: '2016-11-14',
      dateModified: '2016-11-14',
      mainEntityOfPage: `${ORIGIN}${ARTICLE_PATH}`,
      publisher: { '@type': 'Organization', name: 'kvpress' },
    });
    expect(ld).not.toHaveProperty('author');
    expect(ld.citation).toHaveLength(4);
  });
});

describe('HEAD', () => {
  it.each(['', '.json', '.md', '.jsonld'])(
    'repeats the status and headers of GET %s, with its Content-Length, and no body',
    async (ext) => {
      const get = await fetchWorker(ARTICLE_PATH + ext);
      const bytes = (await get.arrayBuffer()).byteLength;
      const head = await fetchWorker(ARTICLE_PATH + ext, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('Content-Length')).toBe(String(bytes));
      expect(get.headers.get('Content-Length')).toBe(String(bytes));
      for (const name of ['Content-Type', 'ETag', 'Last-Modified', 'Vary', 'Link']) {
        expect(head.headers.get(name), name).toBe(get.headers.get(name));
      }
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    },
  );
});

describe('methods', () => {
  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])(
    'answers %s on an article with 405 and Allow',
    async (method) => {
      const res = await fetchWorker(ARTICLE_PATH, {
        method,
        headers: { Accept: 'application/json' },
      });
      expect(res.status).toBe(405);
      expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    },
  );

  it('answers POST on the home page with 405 and Allow', async () => {
    const res = await fetchWorker('/', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('gives a 405 its own headers, not those of the 404 it replaces', async () => {
    const res = await fetchWorker(ARTICLE_PATH, { method: 'PUT' });
    expect(res.status).toBe(405);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = new Uint8Array(await res.arrayBuffer());
    const length = res.headers.get('Content-Length');
    if (length !== null) expect(Number(length)).toBe(body.byteLength);
  });

  it('answers another method on the trailing-slash URL (a redirect for GET) with 405', async () => {
    const res = await fetchWorker(`${ARTICLE_PATH}/`, { method: 'PUT' });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
  });

  it.each(['/', ARTICLE_PATH, `${ARTICLE_PATH}.json`])(
    'answers OPTIONS %s with 204 and Allow',
    async (path) => {
      const res = await fetchWorker(path, { method: 'OPTIONS' });
      expect(res.status).toBe(204);
      expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
    },
  );

  it('redirects a trailing slash to the canonical URL', async () => {
    const res = await fetchWorker(`${ARTICLE_PATH}/`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('Location')).toBe(`${ORIGIN}${ARTICLE_PATH}`);
  });
});

/**
 * RFC 8288 §3 link-values, strictly: `<target>` then `; name=value` parameters whose values are
 * tokens or RFC 9110 quoted-strings (backslash escapes). Throws on anything else.
 */
function parseLinkHeader(field: string): Record<string, string>[] {
  const links: Record<string, string>[] = [];
  let at = 0;
  const skip = () => {
    while (field[at] === ' ' || field[at] === '\t') at += 1;
  };
  while (at < field.length) {
    skip();
    if (field[at] !== '<') throw new Error(`expected < at ${at}: ${field.slice(at)}`);
    const end = field.indexOf('>', at);
    const link: Record<string, string> = { href: field.slice(at + 1, end) };
    at = end + 1;
    for (skip(); field[at] === ';'; skip()) {
      at += 1;
      skip();
      const name = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(field.slice(at))?.[0];
      if (!name) throw new Error(`expected a parameter name at ${at}`);
      at += name.length;
      if (field[at] !== '=') throw new Error(`expected = at ${at}`);
      at += 1;
      let value = '';
      if (field[at] === '"') {
        for (at += 1; field[at] !== '"'; at += 1) {
          if (at >= field.length) throw new Error('unterminated quoted-string');
          if (field[at] === '\\') at += 1;
          value += field[at];
        }
        at += 1;
      } else {
        value = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(field.slice(at))?.[0] ?? '';
        at += value.length;
      }
      link[name] = value;
    }
    links.push(link);
    if (field[at] === ',') at += 1;
    else if (at < field.length) throw new Error(`expected , at ${at}: ${field.slice(at)}`);
  }
  return links;
}
