/**
 * Strong entity tags derived from what was published, never from hashing a body per request.
 * A tag changes when the content changes (its hash), when the code that renders it changes
 * (the render version), when the settings shown in bodies change, and differs per representation.
 */
import { fingerprint } from '../fingerprint';
import { RENDER_VERSION } from '../render-version';

/**
 * @param contentHash the published hash of the record (or the site version) the body is made from
 * @param settings what else the body shows, e.g. site name and origin
 * @example entityTag('19bce4…', 'json', 'kvpress|https://example.com') // '"19bce4….a6e7cffe.1f2e3d4c.json"'
 */
export function entityTag(contentHash: string, representation: string, settings: string): string {
  return `"${contentHash}.${RENDER_VERSION}.${fingerprint(settings)}.${representation}"`;
}
