/**
 * Names of cached responses. A key names the request's own origin and path, the negotiated
 * representation, the published version, the render version and a fingerprint of the settings
 * shown in bodies; never the raw `Accept` and never the URL alone. A slot is a key without the
 * version: where the newest copy of a URL and representation lives, for stale-if-error.
 */
import { RENDER_VERSION } from '../../render-version';

export interface CacheKeyParts {
  /** The origin the request came to: keys stay in the zone that serves them. */
  requestOrigin: string;
  /** Path and query of the URL (`/`, `/?page=2`, `/articles/x.json`). */
  path: string;
  representation: string;
  version: string;
  /** Fingerprint of what else the body depends on: site name and the origin in bodies. */
  settings: string;
}

/** @example cacheKeys({ requestOrigin: 'https://x', path: '/', representation: 'html', version: 'v', settings: 's' }) */
export function cacheKeys(parts: CacheKeyParts): { key: string; slot: string } {
  const separator = parts.path.includes('?') ? '&' : '?';
  const slot = `${parts.requestOrigin}${parts.path}${separator}kvpress=${parts.representation}.${RENDER_VERSION}.${parts.settings}`;
  return { key: `${slot}.${parts.version}`, slot };
}
