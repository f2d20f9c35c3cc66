/**
 * The app's Hono environment. `Env` (the bindings) is generated from wrangler.toml by
 * `npm run types` into worker-configuration.d.ts; never edit it by hand.
 */
export interface AppEnv {
  Bindings: Env;
}
