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

/**
 * A request-time failure with its answer: thrown where it is found, mapped once per Worker in
 * `onError` to problem+json (or a page for people). Anything else thrown is a 500.
 */
export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(
    status: number,
    title: string,
    detail: string,
    options: { headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.title = title;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}
