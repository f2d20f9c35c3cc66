/**
 * 405 + Allow when the path exists with other methods (RFC 9110 §15.5.6), from the app's own
 * routes. It does what hono/method-not-allowed does, with the PatternRouter hono/tiny already
 * ships instead of a TrieRouter of its own: that router was 1.5 KiB of the 50 KiB gzip budget.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { PatternRouter } from 'hono/router/pattern-router';
import type { AppEnv } from '../reader/env';

/** The 405 answer; undefined keeps the 404 (for a resource that should not show it exists). */
type Respond = (
  c: Context<AppEnv>,
  methods: string[],
) => Response | undefined | Promise<Response | undefined>;

/** @example app.use(methodNotAllowed(app, (c, methods) => c.text('No', 405, { Allow: methods.join(', ') }))) */
export function methodNotAllowed(app: Hono<AppEnv>, respond: Respond): MiddlewareHandler<AppEnv> {
  let router: PatternRouter<string[]> | undefined;
  return async (c, next) => {
    await next();
    if (c.res.status !== 404 || c.error) return;
    router ??= methodsByPath(app);
    const allowed = new Set(router.match('ALL', c.req.path)[0].flatMap(([methods]) => methods));
    if (allowed.size === 0 || allowed.has(c.req.method)) return;
    const answer = await respond(c, [...allowed]);
    if (!answer) return;
    // Assigning over a response makes Hono copy the old one's headers into the new: the 404's
    // Cache-Control and Content-Length must not end up on the 405.
    c.res = undefined;
    c.res = answer;
  };
}

/** A router from each route path to its methods (GET implies HEAD); middleware (ALL) is not a route. */
function methodsByPath(app: Hono<AppEnv>): PatternRouter<string[]> {
  const byPath = new Map<string, Set<string>>();
  for (const { method, path } of app.routes) {
    if (method === 'ALL' || method === 'HEAD') continue;
    const methods = byPath.get(path) ?? new Set<string>();
    methods.add(method);
    if (method === 'GET') methods.add('HEAD');
    byPath.set(path, methods);
  }
  const router = new PatternRouter<string[]>();
  for (const [path, methods] of byPath) router.add('ALL', path, [...methods]);
  return router;
}
