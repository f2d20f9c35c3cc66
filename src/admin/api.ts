/**
 * The newsroom's calls to the publishing API, on the same origin with the session cookie (the
 * browser sends `Origin`, which the publisher checks on every write). A refusal is thrown as an
 * ApiError with the problem's detail and, for a 422, each field's message: the views show them,
 * never hide them. Every answer is validated (valibot) before a view uses it.
 */
import * as v from 'valibot';

const Problem = v.object({
  title: v.optional(v.string()),
  detail: v.optional(v.string()),
  errors: v.optional(v.array(v.object({ field: v.string(), message: v.string() }))),
});
export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
    readonly etag: string | null = null,
  ) {
    super(message);
  }
}

/** A JSON call; the answer's body (validated by `schema`) and headers, or a thrown ApiError. */
export async function api<T extends v.GenericSchema>(
  schema: T,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ body: v.InferOutput<T>; headers: Headers; status: number }> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(
      0,
      'The network is unreachable. Your work is kept on this device: save again when you are back online.',
    );
  }
  const json: unknown = await res.json().catch(() => ({}));
  if (!res.ok) {
    const problem = v.safeParse(Problem, json);
    const { detail, title, errors } = problem.success ? problem.output : {};
    throw new ApiError(
      res.status,
      detail ?? title ?? `${res.status} ${res.statusText}`,
      errors ?? [],
      res.headers.get('ETag'),
    );
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success)
    throw new ApiError(
      res.status,
      `The publisher answered something unexpected: ${v.summarize(parsed.issues)}`,
    );
  return { body: parsed.output, headers: res.headers, status: res.status };
}
