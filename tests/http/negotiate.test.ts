/**
 * Proactive negotiation on Accept (RFC 9110 §12.5.1): properties against an independent model,
 * pinned examples, real-world Accept strings and malformed ones through the real worker.
 */
import fc from 'fast-check';
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { negotiate } from '../../src/http/negotiate';
import { ARTICLE_REPRESENTATIONS } from '../../src/http/representations';
import { ARTICLE_PATH, fetchWorker } from '../support/fetch';

const NUM_RUNS = 500;

/**
 * What negotiate picks for an Accept value (the representation's name, or NONE), given the value
 * as the worker reads it from the request. No Request is built: the Fetch API cannot carry
 * non-ASCII header values the way the wire does (workerd warns and re-encodes them); the bytes of
 * a real client are tested end to end in tests/scripts/wire.test.ts.
 */
async function chosenFor(accept: string | undefined): Promise<string> {
  const c = { req: { header: (name: string) => (name === 'Accept' ? accept : undefined) } };
  return negotiate(c as unknown as Context, ARTICLE_REPRESENTATIONS)?.name ?? 'NONE';
}

// ---------------------------------------------------------------------------------------------
// The reference model, written from the RFC and independent of src/http/negotiate.ts.
// ---------------------------------------------------------------------------------------------

/** What an article offers, in server preference order, written out by hand. */
// JSON types carry no charset parameter but are UTF-8 by definition (RFC 8259 §8.1): a range
// asking for charset=utf-8 matches them, so the model offers them with that charset.
const OFFERED = [
  { name: 'html', type: 'text', subtype: 'html', params: { charset: 'utf-8' } },
  { name: 'json', type: 'application', subtype: 'json', params: { charset: 'utf-8' } },
  { name: 'markdown', type: 'text', subtype: 'markdown', params: { charset: 'utf-8' } },
  { name: 'activity', type: 'application', subtype: 'activity+json', params: { charset: 'utf-8' } },
  { name: 'jsonld', type: 'application', subtype: 'ld+json', params: { charset: 'utf-8' } },
  {
    name: 'activity-ld',
    type: 'application',
    subtype: 'ld+json',
    params: { profile: 'https://www.w3.org/ns/activitystreams', charset: 'utf-8' },
  },
] as const satisfies readonly {
  name: string;
  type: string;
  subtype: string;
  params: Record<string, string>;
}[];
type Offered = (typeof OFFERED)[number];

interface Param {
  /** As written: any letter case. */
  name: string;
  /** As written: a token or a quoted-string. */
  value: string;
}

/** One generated media range, structured; render() turns it into header text. */
interface RangeSpec {
  type: string;
  subtype: string;
  params: Param[];
  /** The weight, if any: its name (`q` or `Q`), value, and where it sits among the params. */
  q: { name: string; value: string; at: number } | null;
  /** Optional whitespace: around the element, and before/after each `;`. */
  lead: string;
  trail: string;
  gaps: string[];
}

const unquote = (value: string) =>
  value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;

/** `*` followed by a concrete subtype is not a media range (§12.5.1 grammar): ignored. */
function isValid(range: RangeSpec): boolean {
  return !(range.type === '*' && range.subtype !== '*');
}

/** Every parameter of the range is on the offered type (names case-insensitive, charset too). */
function paramsMatch(range: RangeSpec, offered: Offered): boolean {
  const have: Record<string, string> = offered.params;
  return range.params.every(({ name, value }) => {
    const key = name.toLowerCase();
    const wanted = unquote(value);
    const offeredValue = have[key];
    if (offeredValue === undefined) return false;
    return key === 'charset'
      ? offeredValue.toLowerCase() === wanted.toLowerCase()
      : offeredValue === wanted;
  });
}

/**
 * type/subtype > type/* > * /*; at each level a range with (matching) parameters is more
 * specific than one without, as `text/plain;format=flowed` > `text/plain` in §12.5.1. 0: no match.
 */
function precedence(range: RangeSpec, offered: Offered): number {
  const type = range.type.toLowerCase();
  const subtype = range.subtype.toLowerCase();
  if (!paramsMatch(range, offered)) return 0;
  let level: number;
  if (type === '*') level = 1;
  else if (type !== offered.type) return 0;
  else if (subtype === '*') level = 2;
  else if (subtype !== offered.subtype) return 0;
  else level = 3;
  return level * 2 + (range.params.length > 0 ? 1 : 0);
}

const weight = (range: RangeSpec) => (range.q === null ? 1 : Number(range.q.value));

const ANYTHING: RangeSpec = {
  type: '*',
  subtype: '*',
  params: [],
  q: null,
  lead: '',
  trail: '',
  gaps: [],
};

/** The ranges that count: the valid ones, or * /* when there are none. */
function effectiveRanges(ranges: readonly (RangeSpec | null)[]): RangeSpec[] {
  const valid = ranges.filter((r): r is RangeSpec => r !== null && isValid(r));
  return valid.length > 0 ? valid : [ANYTHING];
}

/**
 * The q of the most specific matching range; of equally specific ones, the highest q (the
 * RFC names no winner; kvpress documents this choice). 0 when nothing matches. With it, how
 * specific that range is: at equal q a specific range beats a wildcard (Apache's and
 * jshttp/negotiator's rule, which clients such as axios rely on).
 */
function modelMatch(
  offered: Offered,
  ranges: readonly (RangeSpec | null)[],
): { q: number; rank: number } {
  let best = 0;
  let q = 0;
  for (const range of effectiveRanges(ranges)) {
    const rank = precedence(range, offered);
    if (rank > best || (rank === best && rank > 0 && weight(range) > q)) {
      best = rank;
      q = weight(range);
    }
  }
  return { q, rank: best };
}

/**
 * True when, for some offered type, two equally specific matching ranges carry different q:
 * the RFC names no winner there, and "the highest q wins" is kvpress's documented choice.
 */
function hasConflictingEquals(ranges: readonly (RangeSpec | null)[]): boolean {
  const effective = effectiveRanges(ranges);
  return OFFERED.some((offered) => {
    const ranks = effective.map((r) => precedence(r, offered));
    const top = Math.max(...ranks);
    if (top === 0) return false;
    const qs = new Set(effective.filter((_, i) => ranks[i] === top).map(weight));
    return qs.size > 1;
  });
}

/** Highest q; at equal q the more specific matching range; then the server's order. */
function modelVerdict(ranges: readonly (RangeSpec | null)[]) {
  const matches = OFFERED.map((offered) => modelMatch(offered, ranges));
  const qs = matches.map((m) => m.q);
  const maxQ = Math.max(...qs);
  const maxRank = Math.max(...matches.filter((m) => m.q === maxQ).map((m) => m.rank));
  const index = matches.findIndex((m) => m.q === maxQ && m.rank === maxRank);
  const expected = maxQ > 0 ? (OFFERED[index]?.name ?? 'NONE') : 'NONE';
  return { qs, maxQ, expected };
}

function render(ranges: readonly (RangeSpec | null)[], commaGaps: readonly string[]): string {
  return ranges
    .map((range) => {
      if (range === null) return ''; // an empty list element: `a, , b` (§5.6.1)
      const parts = range.params.map(({ name, value }) => `${name}=${value}`);
      if (range.q) {
        parts.splice(range.q.at % (parts.length + 1), 0, `${range.q.name}=${range.q.value}`);
      }
      const params = parts.map((p, i) => {
        const gap = range.gaps[i % Math.max(range.gaps.length, 1)] ?? '';
        return `${gap};${gap}${p}`;
      });
      return `${range.lead}${range.type}/${range.subtype}${params.join('')}${range.trail}`;
    })
    .map((element, i) =>
      i === 0 ? element : `${commaGaps[i % commaGaps.length] ?? ''},${element}`,
    )
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Generators.
// ---------------------------------------------------------------------------------------------

// text and application twice: more ranges that match something we offer.
const TYPES = ['text', 'text', 'application', 'application', 'image', '*'] as const;
const SUBTYPES = [
  'html',
  'json',
  'markdown',
  'ld+json',
  'activity+json',
  'xml',
  'png',
  '*',
] as const;
const PARAM_VALUES: Record<string, readonly string[]> = {
  charset: ['utf-8', 'UTF-8', '"utf-8"', '"UTF-8"', 'iso-8859-1'],
  level: ['1'],
  profile: ['"x"', '"https://www.w3.org/ns/activitystreams"'],
};

const ows = fc.constantFrom('', '', ' ', '  ', '\t', ' \t');

function anyCase(word: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) =>
      [...word].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch.toLowerCase())).join(''),
    );
}

const paramArb = (name: string): fc.Arbitrary<Param> =>
  fc.record({ name: anyCase(name), value: fc.constantFrom(...(PARAM_VALUES[name] ?? [])) });

const paramsArb: fc.Arbitrary<Param[]> = fc
  .shuffledSubarray(Object.keys(PARAM_VALUES))
  .chain((names) => fc.tuple(...names.map(paramArb)));

/** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), biased towards ties. */
const qValueArb = fc.oneof(
  fc.constantFrom('0', '1', '0.5', '0.5', '1.0', '1.000', '0.0', '0.000'),
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 999 }))
    .map(([digits, n]) => `0.${String(n).padStart(3, '0').slice(0, digits)}`),
);

const qArb = fc.option(
  fc.record({ name: fc.constantFrom('q', 'Q'), value: qValueArb, at: fc.nat({ max: 3 }) }),
  { freq: 3 },
);

/**
 * A media range. With `paramsOnWildcards` false, parameters go only on type/subtype ranges:
 * what they mean on `text/*` or `* /*` is a separate property below.
 */
function rangeArb(paramsOnWildcards: boolean): fc.Arbitrary<RangeSpec> {
  return fc
    .record({
      type: fc.constantFrom(...TYPES).chain(anyCase),
      subtype: fc.constantFrom(...SUBTYPES).chain(anyCase),
      params: fc.oneof(fc.constant<Param[]>([]), paramsArb),
      q: qArb,
      lead: ows,
      trail: ows,
      gaps: fc.array(ows, { minLength: 1, maxLength: 4 }),
    })
    .map((range) =>
      paramsOnWildcards || (range.type !== '*' && range.subtype !== '*')
        ? range
        : { ...range, params: [] },
    );
}

interface Header {
  header: string;
  ranges: (RangeSpec | null)[];
}

function headerArb(paramsOnWildcards: boolean): fc.Arbitrary<Header> {
  const element = fc.oneof(
    { weight: 12, arbitrary: rangeArb(paramsOnWildcards) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  return fc
    .tuple(
      fc.array(element, { minLength: 0, maxLength: 6 }),
      fc.array(ows, { minLength: 1, maxLength: 6 }),
    )
    .map(([ranges, commaGaps]) => ({ header: render(ranges, commaGaps), ranges }));
}

const withParamsOnExactTypes = headerArb(false);
const withParamsAnywhere = headerArb(true);

/** A header where one range appears twice with different q: equally specific, conflicting. */
const withConflictingEquals: fc.Arbitrary<Header> = fc
  .tuple(
    fc.array(rangeArb(false), { minLength: 1, maxLength: 5 }),
    fc.nat(),
    fc.nat(),
    qValueArb,
    fc.array(ows, { minLength: 1, maxLength: 6 }),
  )
  .map(([ranges, pick, at, q, commaGaps]) => {
    const original = ranges[pick % ranges.length] ?? ANYTHING;
    const twin = { ...original, q: { name: 'q', value: q, at: 0 } };
    const withTwin: (RangeSpec | null)[] = [...ranges];
    withTwin.splice(at % (ranges.length + 1), 0, twin);
    return { header: render(withTwin, commaGaps), ranges: withTwin };
  })
  .filter(({ ranges }) => hasConflictingEquals(ranges));

// ---------------------------------------------------------------------------------------------
// A. Properties.
// ---------------------------------------------------------------------------------------------

describe('negotiate, against an independent model of RFC 9110 §12.5.1', () => {
  it('the hand-written model offers what ARTICLE_REPRESENTATIONS offers, in the same order', () => {
    expect(
      OFFERED.map(({ type, subtype, params }) =>
        [
          `${type}/${subtype}`,
          ...Object.entries(params).map(([k, v]) => `${k}=${k === 'profile' ? `"${v}"` : v}`),
        ].join('; '),
      ),
    ).toEqual(
      ARTICLE_REPRESENTATIONS.map((r) =>
        r.contentType.includes('charset') ? r.contentType : `${r.contentType}; charset=utf-8`,
      ),
    );
    expect(OFFERED.map((o) => o.name)).toEqual(ARTICLE_REPRESENTATIONS.map((r) => r.name));
  });

  it('picks a representation with the highest q the client gives any of them', async () => {
    await fc.assert(
      fc.asyncProperty(withParamsOnExactTypes, async ({ header, ranges }) => {
        fc.pre(!hasConflictingEquals(ranges));
        const chosen = await chosenFor(header);
        const { qs, maxQ } = modelVerdict(ranges);
        if (chosen !== 'NONE') {
          expect(qs[OFFERED.findIndex((o) => o.name === chosen)]).toBe(maxQ);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('never picks a representation the client refuses (q=0 or no matching range)', async () => {
    await fc.assert(
      fc.asyncProperty(withParamsOnExactTypes, async ({ header, ranges }) => {
        fc.pre(!hasConflictingEquals(ranges));
        const chosen = await chosenFor(header);
        const { qs } = modelVerdict(ranges);
        if (chosen !== 'NONE') {
          expect(qs[OFFERED.findIndex((o) => o.name === chosen)]).toBeGreaterThan(0);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('breaks ties in q by specificity (a specific range beats a wildcard), then by server preference', async () => {
    await fc.assert(
      fc.asyncProperty(withParamsOnExactTypes, async ({ header, ranges }) => {
        fc.pre(!hasConflictingEquals(ranges));
        expect(await chosenFor(header)).toBe(modelVerdict(ranges).expected);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('answers NONE (406) exactly when the client gives every representation q=0', async () => {
    await fc.assert(
      fc.asyncProperty(withParamsOnExactTypes, async ({ header, ranges }) => {
        fc.pre(!hasConflictingEquals(ranges));
        const chosen = await chosenFor(header);
        const { qs } = modelVerdict(ranges);
        expect(chosen === 'NONE').toBe(qs.every((q) => q === 0));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('treats a header without a single valid media range as */*: HTML', async () => {
    // No '/' means no media range; control characters are not allowed in a field value at all.
    const noSlash = (s: string) =>
      [...s].filter((ch) => ch !== '/' && ch >= ' ' && ch !== '\u007f').join('');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({
            unit: fc.constantFrom(
              ';',
              ',',
              '=',
              '"',
              '*',
              ' ',
              '\t',
              'q',
              '0',
              '.',
              'a',
              'é',
              '😀',
            ),
            maxLength: 40,
          }),
          fc.string({ unit: 'grapheme', maxLength: 20 }),
        ),
        async (garbage) => {
          expect(await chosenFor(noSlash(garbage))).toBe('html');
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('ignores */subtype, which is no media range, like any other invalid range', async () => {
    await fc.assert(
      fc.asyncProperty(
        withParamsOnExactTypes,
        fc.constantFrom('html', 'json', 'markdown', 'ld+json'),
        fc.nat(),
        async ({ header, ranges }, subtype, at) => {
          const withInvalid = [...ranges];
          withInvalid.splice(at % (ranges.length + 1), 0, {
            ...ANYTHING,
            subtype,
            q: { name: 'q', value: '1', at: 0 },
          });
          expect(await chosenFor(render(withInvalid, [', ']))).toBe(await chosenFor(header));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  // Ranges with parameters match only a type that has them all, wildcards included.
  it('lets parameters on text/* and */* restrict what those ranges match', async () => {
    await fc.assert(
      fc.asyncProperty(withParamsAnywhere, async ({ header, ranges }) => {
        fc.pre(!hasConflictingEquals(ranges));
        expect(await chosenFor(header)).toBe(modelVerdict(ranges).expected);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  // The RFC names no winner between equally specific ranges with different q; kvpress lets the
  // highest q win (hono/accepts sorts ranges by q before matching).
  it('lets the highest q of equally specific matching ranges decide', async () => {
    await fc.assert(
      fc.asyncProperty(withConflictingEquals, async ({ header, ranges }) => {
        expect(await chosenFor(header)).toBe(modelVerdict(ranges).expected);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// B. Pinned examples.
// ---------------------------------------------------------------------------------------------

describe('negotiate, examples', () => {
  const examples: readonly [label: string, accept: string | undefined, chosen: string][] = [
    ['no Accept header means */*', undefined, 'html'],
    ['an empty Accept header means */*', '', 'html'],
    ['a more specific range overrides text/*', 'text/*;q=0.1, text/html', 'html'],
    ['application/json;q=0 overrides */*', '*/*, application/json;q=0', 'html'],
    ['application/json;q=0 alone refuses everything', 'application/json;q=0', 'NONE'],
    ['media types are case-insensitive', 'TEXT/MARKDOWN', 'markdown'],
    ['application/ld+json gets JSON-LD', 'application/ld+json', 'jsonld'],
    [
      'an ActivityStreams profile is not our schema.org JSON-LD: it is the AS2 object',
      'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
      'activity-ld',
    ],
    ['application/activity+json gets the AS2 object', 'application/activity+json', 'activity'],
    [
      "Fedify's loader, activity+json and ld+json at one q, gets the AS2 object",
      'application/activity+json, application/ld+json',
      'activity',
    ],
    [
      'a profile we do not have matches nothing',
      'application/ld+json; profile="https://example.org/other"',
      'NONE',
    ],
    ['charset values are case-insensitive', 'text/html;charset=UTF-8', 'html'],
    ['a quoted charset equals the token', 'text/html;charset="utf-8"', 'html'],
    ['a charset we do not send does not match', 'text/html;charset=iso-8859-1', 'NONE'],
    [
      'JSON is UTF-8: a client asking for it with a charset gets it',
      'application/json; charset=utf-8',
      'json',
    ],
    ['level=1 does not match our html, which has only a charset', 'text/html;level=1', 'NONE'],
    [
      'level=1 is refused but the other ranges still count',
      'text/html;level=1, application/json;q=0.5',
      'json',
    ],
    [
      'a matching parameter range is more specific than the bare type',
      'text/html;q=0.2, text/html;charset=utf-8;q=0, application/json;q=0.1',
      'json',
    ],
    ['q is a weight wherever it sits among parameters', 'text/html;q=0;charset=utf-8', 'NONE'],
    ['a parameter named Q is the weight too', 'text/html;Q=0, application/json', 'json'],
    ['equal q goes to server preference', 'application/ld+json, text/markdown', 'markdown'],
    ['equal q through */* goes to server preference', '*/*;q=0.3', 'html'],
    ['text/* prefers html over markdown', 'text/*', 'html'],
    ['application/* prefers json over ld+json', 'application/*', 'json'],
    ['*/html is no media range: ignored, leaving */*', '*/html;q=0', 'html'],
    // hono/accepts' parser reads a q that is not a qvalue as 1 and clamps one above 1 to 1;
    // RFC 9110 gives no meaning to either, so these pin what is done, not what must be.
    ['a header of just q=abc has no valid range: */*', 'q=abc', 'html'],
    ['an unreadable q counts as 1', 'text/html;q=abc', 'html'],
    [
      'an unreadable q counts as 1, even above a real one',
      'text/html;q=0.5, application/json;q=abc',
      'json',
    ],
    ['q=2 is clamped to 1', 'application/json;q=2', 'json'],
    [
      'q=2 is clamped to 1, tying with q=1 (server preference)',
      'application/json;q=2, text/html',
      'html',
    ],
    ['a negative q counts as 0', 'text/html;q=-1', 'NONE'],
  ];

  for (const [label, accept, chosen] of examples) {
    it(`${label}: ${accept === undefined ? '(none)' : JSON.stringify(accept)} → ${chosen}`, async () => {
      expect(await chosenFor(accept)).toBe(chosen);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// C. Real-world Accept strings through the real worker.
// ---------------------------------------------------------------------------------------------

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json';
const MARKDOWN = 'text/markdown; charset=utf-8';
const PROBLEM = 'application/problem+json';
const FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

const CLIENTS: readonly { client: string; accept: string; status: number; type: string }[] = [
  {
    client: 'Chrome',
    accept:
      'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
    status: 200,
    type: HTML,
  },
  { client: 'Firefox', accept: FIREFOX, status: 200, type: HTML },
  { client: 'Safari', accept: FIREFOX, status: 200, type: HTML },
  { client: 'curl', accept: '*/*', status: 200, type: HTML },
  { client: 'fetch() with its default Accept', accept: '*/*', status: 200, type: HTML },
  { client: 'Googlebot', accept: FIREFOX, status: 200, type: HTML },
  {
    client: 'A feed reader',
    accept: 'application/atom+xml,application/rss+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7',
    status: 200,
    type: HTML,
  },
  {
    client: "Mastodon's ActivityPub fetch",
    accept:
      'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams", text/html;q=0.1',
    status: 200,
    // Equal q: the range with the profile parameter is the more specific one (§12.5.1).
    type: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
  },
  {
    client: 'A bare ActivityPub client',
    accept: 'application/activity+json',
    status: 200,
    type: 'application/activity+json',
  },
  { client: 'An LLM agent', accept: 'text/markdown, text/html;q=0.9', status: 200, type: MARKDOWN },
  { client: 'A JSON API client', accept: 'application/json', status: 200, type: JSON_TYPE },
  {
    client: 'A JSON-LD consumer',
    accept: 'application/ld+json',
    status: 200,
    type: 'application/ld+json',
  },
  {
    client: "axios or Angular's HttpClient (their default)",
    accept: 'application/json, text/plain, */*',
    status: 200,
    type: JSON_TYPE,
  },
  {
    client: 'A Markdown client with a fallback',
    accept: 'text/markdown, */*',
    status: 200,
    type: MARKDOWN,
  },
  {
    client: 'A JSON-LD client with a fallback',
    accept: 'application/ld+json, */*',
    status: 200,
    type: 'application/ld+json',
  },
  {
    client: 'Markdown and JSON at equal q (server order)',
    accept: 'text/markdown, application/json',
    status: 200,
    type: JSON_TYPE,
  },
  {
    client: 'A client refusing JSON only',
    accept: 'application/json;q=0',
    status: 406,
    type: PROBLEM,
  },
];

describe('GET /articles/:slug for real-world Accept headers', () => {
  for (const { client, accept, status, type } of CLIENTS) {
    it(`${client} gets ${status === 200 ? type.split(';')[0] : `${status} ${type}`}`, async () => {
      const res = await fetchWorker(ARTICLE_PATH, { headers: { Accept: accept } });
      expect(res.status).toBe(status);
      expect(res.headers.get('Content-Type')).toBe(type);
      expect(res.headers.get('Vary')).toBe('Accept');
      await res.arrayBuffer();
    });
  }

  it('answers a 406 with problem+json listing every representation and its own URL', async () => {
    const res = await fetchWorker(ARTICLE_PATH, { headers: { Accept: 'image/png' } });
    expect(res.status).toBe(406);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'about:blank', title: 'Not Acceptable', status: 406 });
    expect(body.available).toEqual([
      { type: 'text/html', href: `${ARTICLE_PATH}.html` },
      { type: 'application/json', href: `${ARTICLE_PATH}.json` },
      { type: 'text/markdown', href: `${ARTICLE_PATH}.md` },
      { type: 'application/activity+json', href: `${ARTICLE_PATH}.activity.json` },
      { type: 'application/ld+json', href: `${ARTICLE_PATH}.jsonld` },
      {
        type: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
        href: `${ARTICLE_PATH}.activity.json`,
      },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// D. Malformed Accept headers through the real worker.
// ---------------------------------------------------------------------------------------------

const REPEATED = 'text/plain;q=0.1, ';
const EIGHT_KB = REPEATED.repeat(Math.ceil(8192 / REPEATED.length));

const MALFORMED: readonly { label: string; accept: string; status: number; type: string }[] = [
  {
    label: 'only separators ;;;,,, (no valid range: */*)',
    accept: ';;;,,,',
    status: 200,
    type: HTML,
  },
  { label: 'text/html;q=abc (q read as 1)', accept: 'text/html;q=abc', status: 200, type: HTML },
  { label: 'q=2 alone (no valid range: */*)', accept: 'q=2', status: 200, type: HTML },
  // The quoted-string never closes, so the rest of the header is the profile's value: text/html
  // with a profile we do not send is the only range, and nothing is acceptable.
  {
    label: 'a quote that never closes, swallowing the next range',
    accept: 'text/html;profile="x, application/json',
    status: 406,
    type: PROBLEM,
  },
  { label: 'a lone slash', accept: '/', status: 200, type: HTML },
  {
    label: '8 KB of text/plain ranges (none we offer)',
    accept: EIGHT_KB,
    status: 406,
    type: PROBLEM,
  },
  {
    label: '8 KB of text/plain ranges then application/json;q=0.2',
    accept: `${EIGHT_KB}application/json;q=0.2`,
    status: 200,
    type: JSON_TYPE,
  },
  // Non-ASCII values (téxt/html, 😀/*, a KELVIN SIGN in "markdown") go over a real socket, as
  // UTF-8 bytes: tests/scripts/wire.test.ts.
];

describe('GET /articles/:slug with malformed Accept headers', () => {
  for (const { label, accept, status, type } of MALFORMED) {
    it(`answers ${status} ${type.split(';')[0]} for ${label}`, async () => {
      const res = await fetchWorker(ARTICLE_PATH, { headers: { Accept: accept } });
      expect(res.status).toBeLessThan(500);
      expect(res.status).toBe(status);
      expect(res.headers.get('Content-Type')).toBe(type);
      expect(res.headers.get('Vary')).toBe('Accept');
      await res.arrayBuffer();
    });
  }
});
