/**
 * The version readers may be told of (Outbox.readable), as the outbox keeps it in its meta
 * table: validated when read, like every row (rows.ts).
 */
import * as v from 'valibot';

/**
 * A version readers may be told of (Outbox.readable): `seq` is the commit that made it (counts
 * up: a reader never goes back to a lower one), `at` when its last key reached KV (ms).
 */
const ReadableSchema = v.object({ version: v.string(), seq: v.number(), at: v.number() });
export type Readable = v.InferOutput<typeof ReadableSchema>;

const tryJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The stored value, or "nothing readable yet" (a value that does not parse is reported). */
export function parseReadable(stored: string | undefined): Readable {
  const parsed = stored === undefined ? undefined : v.safeParse(ReadableSchema, tryJson(stored));
  if (parsed?.success) return parsed.output;
  // Reported, never used: the next drain makes the committed version readable again.
  if (parsed) console.error(`outbox: meta 'readable' is not a readable version: ${stored}`);
  return { version: 'unpublished', seq: 0, at: 0 };
}
