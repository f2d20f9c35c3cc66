/**
 * Rows read back from the Durable Object's SQLite, validated (valibot) before use: a row that does
 * not match its schema is logged with where it was and treated as absent, never cast and used.
 * One place for the site writer's tables (site-writer/rows.ts) and the people's (people/).
 */
import * as v from 'valibot';

/** `rows` that match `schema`; each that does not is logged with `where` and left out. */
export function validRows<T extends v.GenericSchema>(
  schema: T,
  rows: Record<string, SqlStorageValue>[],
  where: string,
): v.InferOutput<T>[] {
  return rows.flatMap((row) => {
    const parsed = v.safeParse(schema, row);
    if (parsed.success) return [parsed.output];
    console.error(
      `storage: a row of ${where} does not match its schema: ${v.summarize(parsed.issues)}`,
    );
    return [];
  });
}

/** The first of `rows`, when it matches `schema` (else logged, and undefined). */
export function firstRow<T extends v.GenericSchema>(
  schema: T,
  rows: Record<string, SqlStorageValue>[],
  where: string,
): v.InferOutput<T> | undefined {
  return validRows(schema, rows.slice(0, 1), where)[0];
}
