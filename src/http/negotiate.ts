/**
 * Proactive content negotiation on `Accept` (RFC 9110 §12.5.1). hono/accepts parses the header;
 * the matching is ours because its default matcher never matches `*` `/` `*` and falls back to
 * the default for refused types, so it can neither honour `q=0` nor yield 406.
 */
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';

/** One parsed `Accept` element, as hono/accepts hands it to `match`. */
interface Accept {
  type: string;
  params: Record<string, string>;
  q: number;
}

/** A media range from `Accept`, lowercased (types and parameter names are case-insensitive). */
interface MediaRange {
  type: string;
  subtype: string;
  /** Parameters other than q. A range with parameters matches only a type that has them all. */
  params: [string, string][];
  q: number;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function toMediaRange({ type, params, q }: Accept): MediaRange | undefined {
  // Check the token grammar (ASCII, RFC 9110 §5.6.2) before lowercasing: 'K' (Kelvin) → 'k'.
  const [main = '', sub = '', ...rest] = type.split('/');
  if (rest.length > 0 || !TOKEN.test(main) || !TOKEN.test(sub)) return undefined;
  if (main === '*' && sub !== '*') return undefined;
  const named = Object.entries(params)
    .map(([name, value]): [string, string] => [name.toLowerCase(), value])
    .filter(([name]) => name !== 'q');
  return { type: main.toLowerCase(), subtype: sub.toLowerCase(), params: named, q };
}

/** A media type we send, split for matching: `text/html; charset=utf-8`. */
interface OfferedType {
  type: string;
  subtype: string;
  params: Map<string, string>;
}

// Offered types are a handful of constants: parse each once per isolate.
const offeredTypes = new Map<string, OfferedType>();

function toOfferedType(contentType: string): OfferedType {
  const known = offeredTypes.get(contentType);
  if (known) return known;
  const [essence = '', ...paramParts] = contentType.toLowerCase().split(';');
  const [type = '', subtype = ''] = essence.trim().split('/');
  const params = new Map<string, string>();
  for (const part of paramParts) {
    const [name = '', value = ''] = part.split('=').map((piece) => piece.trim());
    // A quoted value means its content (hono/accepts unquotes the client's side the same way).
    params.set(name, value.replace(/^"(.*)"$/, '$1'));
  }
  // JSON is UTF-8 by definition (RFC 8259 §8.1) and has no charset parameter, yet common
  // clients send `application/json; charset=utf-8`: let that range match.
  if (subtype.endsWith('json') && !params.has('charset')) params.set('charset', 'utf-8');
  const offered = { type, subtype, params };
  offeredTypes.set(contentType, offered);
  return offered;
}

/**
 * How specifically `range` matches `offered` (§12.5.1), 0 for no match: type/subtype beats
 * type/* beats * /*, and at each level a range with parameters beats one without. Parameters
 * narrow any range, wildcards included: `text/*;charset=iso-8859-1` does not match UTF-8 HTML.
 */
function specificity(range: MediaRange, offered: OfferedType): number {
  let level: number;
  if (range.type === '*') level = 1;
  else if (range.type !== offered.type) return 0;
  else if (range.subtype === '*') level = 2;
  else if (range.subtype !== offered.subtype) return 0;
  else level = 3;
  if (range.params.length === 0) return level * 2;
  // charset values are case-insensitive (RFC 2046 §4.1.2); others compare exactly.
  const all = range.params.every(([name, value]) => {
    const have = offered.params.get(name);
    return name === 'charset' ? have === value.toLowerCase() : have === value;
  });
  return all ? level * 2 + 1 : 0;
}

/**
 * The q a client gives `offered`: that of the most specific range that matches (§12.5.1),
 * 0 when none does, and how specific that range is. hono/accepts hands ranges sorted by q
 * (highest first), so of equally specific ranges the highest q wins (`text/html;q=0, text/html`
 * → 1): the RFC leaves it open. `text/*;q=0.1, text/html` → text/html 1; `* /*, application/json;q=0` → 0.
 */
function matchOf(offered: OfferedType, ranges: readonly MediaRange[]): { q: number; rank: number } {
  let best = 0;
  let q = 0;
  for (const range of ranges) {
    const rank = specificity(range, offered);
    if (rank > best) {
      best = rank;
      q = range.q;
    }
  }
  return { q, rank: best };
}

/** What the server can send for a resource, in its order of preference (ties go to the first). */
export interface Representation {
  mediaType: string;
  /** The exact type sent, with parameters (`text/html; charset=utf-8`); defaults to mediaType. */
  contentType?: string;
}

const ACCEPT_ANYTHING: MediaRange[] = [{ type: '*', subtype: '*', params: [], q: 1 }];

/**
 * Picks the available representation with the highest q; at equal q, the one a more specific
 * range matched (`application/json, text/plain, * /*`, axios's default, gets JSON: the RFC leaves
 * ties open, and Apache and jshttp/negotiator rank specific over wildcard); then the server's
 * order. No `Accept`, or one with no valid range, means `*` `/*` (§12.5.1). Returns undefined
 * when nothing is acceptable: answer 406.
 *
 * @example negotiate(c, [{ mediaType: 'text/html' }, { mediaType: 'application/json' }])
 */
export function negotiate<const T extends readonly [Representation, ...Representation[]]>(
  c: Context,
  available: T,
): T[number] | undefined {
  type R = T[number];
  // hono/accepts skips `match` when the header is missing or empty: that means */*.
  let chosen: R | undefined = available[0];
  accepts(c, {
    header: 'Accept',
    supports: available.map((r) => r.mediaType),
    default: available[0].mediaType,
    match(parsed) {
      const valid = parsed.map(toMediaRange).filter((r): r is MediaRange => r !== undefined);
      const ranges = valid.length > 0 ? valid : ACCEPT_ANYTHING;
      let bestQ = 0;
      let bestRank = 0;
      chosen = undefined;
      for (const representation of available) {
        const { q, rank } = matchOf(
          toOfferedType(representation.contentType ?? representation.mediaType),
          ranges,
        );
        if (q > bestQ || (q === bestQ && q > 0 && rank > bestRank)) {
          bestQ = q;
          bestRank = rank;
          chosen = representation;
        }
      }
      return chosen?.mediaType ?? '';
    },
  });
  return chosen;
}
