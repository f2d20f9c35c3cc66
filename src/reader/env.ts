/**
 * The app's Hono environment. `Env` (the bindings) is generated from wrangler.toml by
 * `npm run types` into worker-configuration.d.ts; never edit it by hand.
 */
import type { ArticleStore } from '../articles/store';
import type { ResponseCache } from './cache/response-cache';
import type { Config } from './config';
import type { PublishedSiteCache } from './site';

/** What every route finds in `c.var`, set once per request by the app (src/index.ts). */
export interface Services {
  config: Config;
  store: ArticleStore;
  cache: ResponseCache;
  published: PublishedSiteCache;
}

export interface AppEnv {
  Bindings: Env;
  Variables: Services;
}
