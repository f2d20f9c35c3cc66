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

/** A media range from `Accept`, split and lowercased (types are case-insensitive, §8.3.1). */
interface MediaRange {
  type: string;
  subtype: string;
  /** Parameters other than q: a range that names any is more specific than one that does not. */
  hasParams: boolean;
  q: number;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

function toMediaRange({ type, params, q }: Accept): MediaRange | undefined {
  const [main = '', sub = '', ...rest] = type.toLowerCase().split('/');
  if (rest.length > 0 || !TOKEN.test(main) || !TOKEN.test(sub)) return undefined;
  if (main === '*' && sub !== '*') return undefined;
  const hasParams = Object.keys(params).some((name) => name.toLowerCase() !== 'q');
  return { type: main, subtype: sub, hasParams, q };
}

/** 4: type/subtype;param, 3: type/subtype, 2: type/*, 1: * /*, 0: no match. */
function specificity(range: MediaRange, type: string, subtype: string): number {
  if (range.type === '*') return 1;
  if (range.type !== type) return 0;
  if (range.subtype === '*') return 2;
  if (range.subtype !== subtype) return 0;
  return range.hasParams ? 4 : 3;
}

/**
 * The q a client gives `mediaType`: that of the most specific range that matches (§12.5.1),
 * 0 when none does. `text/*;q=0.1, text/html` → text/html 1; `*` `/*, application/json;q=0` → 0.
 */
export function qualityOf(mediaType: string, ranges: readonly MediaRange[]): number {
  const [type = '', subtype = ''] = mediaType.toLowerCase().split('/');
  let best = 0;
  let q = 0;
  for (const range of ranges) {
    const rank = specificity(range, type, subtype);
    if (rank > best) {
      best = rank;
      q = range.q;
    }
  }
  return q;
}

/** What the server can send for a resource, in its order of preference (ties go to the first). */
export interface Representation {
  mediaType: string;
}

const ACCEPT_ANYTHING: MediaRange[] = [{ type: '*', subtype: '*', hasParams: false, q: 1 }];

/**
 * Picks the available representation with the highest q. No `Accept`, or one with no valid
 * range, means `*` `/*` (§12.5.1). Returns undefined when nothing is acceptable: answer 406.
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
      chosen = undefined;
      for (const representation of available) {
        const q = qualityOf(representation.mediaType, ranges);
        if (q > bestQ) {
          bestQ = q;
          chosen = representation;
        }
      }
      return chosen?.mediaType ?? '';
    },
  });
  return chosen;
}
