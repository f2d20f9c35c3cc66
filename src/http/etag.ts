/**
 * Strong entity tags derived from what was published, never from hashing a body per request.
 * A tag changes when the content changes (its hash), when the code that renders it changes
 * (the render version), when the settings shown in bodies change, and differs per representation.
 */
import { RENDER_VERSION } from '../render-version';

/**
 * @param contentHash the published hash of the record (or the site version) the body is made from
 * @param settings the fingerprint of what else the body shows (site name and origin: bodySettings)
 * @example entityTag('19bce4…', 'json', '1f2e3d4c') // '"19bce4….a6e7cffe.1f2e3d4c.json"'
 */
export function entityTag(contentHash: string, representation: string, settings: string): string {
  return `"${contentHash}.${RENDER_VERSION}.${settings}.${representation}"`;
}
