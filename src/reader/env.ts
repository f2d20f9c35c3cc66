/**
 * The app's Hono environment. `Env` (the bindings) is generated from wrangler.toml by
 * `npm run types` into reader-configuration.d.ts; never edit it by hand.
 */
import type { ArticleStore } from '../articles/store';
import type { BodyStore } from './cache/body-store';
import type { Config } from './config';
import type { Freshness, FreshnessTiming } from './freshness';
import type { VersionSources } from './version-source';

/** What every route finds in `c.var`, set once per request by the app (src/index.ts). */
export interface Services {
  config: Config;
  store: ArticleStore;
  bodies: BodyStore;
  freshness: Freshness;
  /** Where this request may learn the current version, and the bound's two intervals. */
  versions: VersionSources;
  timing: FreshnessTiming;
  /** Set by serveRepresentation on a 200 a repeat request may replay: the body's key and version. */
  made?: { key: string; version: string };
}

export interface AppEnv {
  Bindings: Env;
  Variables: Services;
}
