/**
 * The app's Hono environment. `Env` (the bindings) is generated from wrangler.toml by
 * `npm run types` into worker-configuration.d.ts; never edit it by hand.
 */
import type { ArticleStore } from './articles/store';
import type { ResponseCache } from './cache/response-cache';
import type { SiteVersionCache } from './cache/site-version';
import type { Config } from './config';

/** What every route finds in `c.var`, set once per request by the app (src/index.ts). */
export interface Services {
  config: Config;
  store: ArticleStore;
  cache: ResponseCache;
  versions: SiteVersionCache;
}

export interface AppEnv {
  Bindings: Env;
  Variables: Services;
}
