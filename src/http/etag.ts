/**
 * Strong entity tags derived from what was published, never from hashing a body per request.
 * A tag changes when the content changes (its hash), when a template changes (the render
 * version), when the site settings shown in bodies change, and differs per representation.
 */
import { RENDER_VERSION } from '../views/render-version';

/** FNV-1a, 32 bit: a cheap, stable fingerprint of a short string (not a security hash). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

let lastSettings = '';
let lastFingerprint = fnv1a('');

/** Fingerprint of the settings that appear in bodies; computed once per isolate in practice. */
export function settingsFingerprint(settings: string): string {
  if (settings !== lastSettings) {
    lastSettings = settings;
    lastFingerprint = fnv1a(settings);
  }
  return lastFingerprint;
}

/**
 * @param contentHash the published hash of the record (or index) the body is made from
 * @param settings what else the body shows, e.g. site name and origin
 * @example entityTag('19bce4…', 'json', 'kvpress|https://example.com') // '"19bce4….a7de44bb.1f2e3d4c.json"'
 */
export function entityTag(contentHash: string, representation: string, settings: string): string {
  return `"${contentHash}.${RENDER_VERSION}.${settingsFingerprint(settings)}.${representation}"`;
}
