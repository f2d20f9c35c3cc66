/**
 * The audit trail: every write, who made it (person and credential, or PUBLISH_TOKEN), what
 * (operation, slug, revision), when and from where. Appended in the write's own transaction, so
 * an entry exists exactly when the write does. Kept for AUDIT_RETENTION_DAYS, then forgotten.
 */
import * as v from 'valibot';
import type { AuditEntry } from '../api-types';
import { validRows } from '../stored-rows';
import type { Principal } from './roles';

/** How long an audit entry is kept. */
export const AUDIT_RETENTION_DAYS = 400;
const RETENTION_MS = AUDIT_RETENTION_DAYS * 24 * 60 * 60 * 1000;
/** Most entries one read answers. */
export const AUDIT_PAGE = 200;

const AuditRow = v.object({
  seq: v.number(),
  at: v.number(),
  person_id: v.nullable(v.string()),
  person_email: v.nullable(v.string()),
  via: v.string(),
  operation: v.string(),
  slug: v.nullable(v.string()),
  revision: v.nullable(v.number()),
  address: v.string(),
});

export interface AuditFilter {
  person?: string | undefined;
  slug?: string | undefined;
  /** Entries older than this seq (the next page). */
  before?: number | undefined;
  limit?: number | undefined;
}

export class Audit {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  record(
    who: Principal,
    address: string,
    operation: string,
    slug: string | null,
    revision: number | null,
    now: number,
  ): void {
    this.#sql.exec(
      `INSERT INTO audit (at, person_id, person_email, via, operation, slug, revision, address)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      now,
      who.person?.id ?? null,
      who.person?.email ?? null,
      who.via,
      operation,
      slug,
      revision,
      address,
    );
    this.#sql.exec('DELETE FROM audit WHERE at < ?', now - RETENTION_MS);
  }

  /** Entries newest first, filtered by person and article. */
  read(filter: AuditFilter): AuditEntry[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.person) where.push('person_id = ?') && args.push(filter.person);
    if (filter.slug) where.push('slug = ?') && args.push(filter.slug);
    if (filter.before !== undefined) where.push('seq < ?') && args.push(filter.before);
    const limit = Math.min(Math.max(filter.limit ?? AUDIT_PAGE, 1), AUDIT_PAGE);
    const rows = this.#sql.exec(
      `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit}`,
      ...args,
    );
    return validRows(AuditRow, rows.toArray(), 'audit').map((r) => ({
      seq: r.seq,
      at: new Date(r.at).toISOString(),
      person: r.person_id && r.person_email ? { id: r.person_id, email: r.person_email } : null,
      via: r.via,
      operation: r.operation,
      slug: r.slug,
      revision: r.revision,
      address: r.address,
    }));
  }
}
