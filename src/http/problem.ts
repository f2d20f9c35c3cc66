/**
 * RFC 9457 problem details: the error body for programs.
 */
export const PROBLEM_JSON = 'application/problem+json';

export interface Problem {
  /** A URI naming the problem type; `about:blank` means "just the status" (RFC 9457 §4.2.1). */
  type?: string;
  title: string;
  status: number;
  detail?: string;
  /** Extension members (RFC 9457 §3.2), e.g. the list of available representations for a 406. */
  [extension: string]: unknown;
}

/** @example problemBody({ title: 'Not Found', status: 404 }) // '{"type":"about:blank",…}' */
export function problemBody(problem: Problem): string {
  return JSON.stringify({ type: 'about:blank', ...problem });
}
