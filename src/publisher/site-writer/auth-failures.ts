/**
 * Failed authentications per client address, counted in the Durable Object: AUTH_FAILURE_LIMIT
 * wrong tokens within AUTH_WINDOW_MS block the address for AUTH_WINDOW_MS, right token or not
 * (a block that let a right token through would let a guesser keep guessing). Counted here and
 * not with the Workers Rate Limiting binding because the binding cannot be asked whether an
 * address is blocked without counting the request, so a right token would use up the limit too.
 */
export const AUTH_FAILURE_LIMIT = 10;
export const AUTH_WINDOW_MS = 60_000;

export type AuthGate = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export const AUTH_FAILURES_SCHEMA = `
CREATE TABLE IF NOT EXISTS auth_failures (
  address TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL DEFAULT 0
);`;

export class AuthFailures {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** @param tokenOk whether this request's token was right */
  check(address: string, tokenOk: boolean, now: number): AuthGate {
    const row = this.#sql
      .exec<{ window_start: number; count: number; blocked_until: number }>(
        'SELECT window_start, count, blocked_until FROM auth_failures WHERE address = ?',
        address,
      )
      .toArray()[0];
    if (row && row.blocked_until > now) {
      return { allowed: false, retryAfterSeconds: Math.ceil((row.blocked_until - now) / 1000) };
    }
    if (tokenOk) return { allowed: true };
    const fresh = !row || now - row.window_start >= AUTH_WINDOW_MS;
    const count = fresh ? 1 : row.count + 1;
    const blockedUntil = count > AUTH_FAILURE_LIMIT ? now + AUTH_WINDOW_MS : 0;
    this.#sql.exec(
      `INSERT INTO auth_failures (address, window_start, count, blocked_until) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (address) DO UPDATE SET window_start = ?2, count = ?3, blocked_until = ?4`,
      address,
      fresh ? now : (row?.window_start ?? now),
      count,
      blockedUntil,
    );
    // Forget addresses idle for a day, so the table stays small.
    this.#sql.exec(
      'DELETE FROM auth_failures WHERE window_start < ? AND blocked_until < ?',
      now - 86_400_000,
      now,
    );
    return blockedUntil
      ? { allowed: false, retryAfterSeconds: Math.ceil(AUTH_WINDOW_MS / 1000) }
      : { allowed: true };
  }
}
