/**
 * The version readers may be told of (Outbox.readable), as the outbox keeps it in its meta
 * table: validated when read, like every row (rows.ts).
 */
import * as v from 'valibot';
import { parseStored } from './rows';

/**
 * A version readers may be told of (Outbox.readable): `seq` is the commit that made it (counts
 * up: a reader never goes back to a lower one), `at` when its last key reached KV (ms).
 */
const ReadableSchema = v.object({ version: v.string(), seq: v.number(), at: v.number() });
export type Readable = v.InferOutput<typeof ReadableSchema>;

/** The stored value, or "nothing readable yet" (a value that does not parse is reported). */
export function parseReadable(stored: string | undefined): Readable {
  // Reported when it does not parse, never used: the next drain makes the version readable again.
  const parsed =
    stored === undefined ? undefined : parseStored(ReadableSchema, stored, "meta 'readable'");
  return parsed ?? { version: 'unpublished', seq: 0, at: 0 };
}
