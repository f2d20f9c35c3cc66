/**
 * Write preconditions (RFC 9110 §13.1.1, §13.1.2) against the article's current revision as the
 * Durable Object holds it (its pending draft or scheduled revision, else the published one: what
 * GET answers with): `If-Match` (strong comparison; `*` means "exists") and `If-None-Match`
 * (`*` means "create only"). Evaluated in the one writer, so no two writers can both pass the
 * same `If-Match`. The entity-tag parsing is src/http/conditional.ts's, shared with the reader.
 */
import { evaluateConditions } from '../../http/conditional';

export interface Conditions {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
}

/** The API's entity tag of a revision: its content hash, strong. */
export const revisionTag = (hash: string): string => `"${hash}"`;

/** @returns why the write must not proceed (412), or undefined when it may. */
export function preconditionFails(
  conditions: Conditions,
  currentHash: string | undefined,
): { detail: string; etag?: string | undefined } | undefined {
  if (conditions.ifMatch === undefined && conditions.ifNoneMatch === undefined) return undefined;
  if (currentHash === undefined) {
    // No current representation: If-Match is false whatever it lists; If-None-Match is true.
    if (conditions.ifMatch === undefined) return undefined;
    return { detail: 'The article does not exist.' };
  }
  const etag = revisionTag(currentHash);
  const outcome = evaluateConditions({ method: 'PUT', ...conditions }, { etag });
  if (outcome === 'proceed') return undefined;
  return { detail: `The current revision is ${etag}; fetch it and retry with If-Match.`, etag };
}
