/**
 * The publisher's Hono environment and its one error answer. `PublisherBindings` is generated
 * from wrangler.publisher.toml by `npm run types` (publisher-configuration.d.ts).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { PROBLEM_JSON, problemBody } from '../http/problem';
import type { PublisherConfig } from './config';
import type { Caller } from './people/directory';
import type { Principal } from './people/roles';
import type { SiteWriter } from './site-writer';

export interface PublisherEnv {
  Bindings: PublisherBindings;
  /**
   * `config`: the settings, parsed once (config.ts); `site`: the one Durable Object; `caller`
   * and `principal`: who is calling (people/authenticate.ts), on authenticated routes.
   */
  Variables: {
    config: PublisherConfig;
    site: DurableObjectStub<SiteWriter>;
    caller: Caller;
    principal: Principal;
  };
}

export type PublisherContext = Context<PublisherEnv>;

/** An RFC 9457 problem+json answer; every API error is one. */
export function problem(
  c: Context,
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
  extensions: Record<string, unknown> = {},
): Response {
  return c.body(
    problemBody({ title, status, detail, ...extensions }),
    status as ContentfulStatusCode,
    { ...headers, 'Content-Type': PROBLEM_JSON },
  );
}

/** The site's public origin: SITE_URL when set (as the reader's), else the origin the request came to. */
export function siteOrigin(c: PublisherContext): string {
  return c.var.config.siteUrl || new URL(c.req.url).origin;
}
