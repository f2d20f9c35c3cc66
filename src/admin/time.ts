/**
 * Times in the newsroom: shown in the site's zone (SITE_TIMEZONE, which the publisher's shell
 * names), with the zone written out, so a desk spread over zones reads the same clock; the
 * schedule field takes the editor's own local time and shows the site's beside it.
 */
const siteZone = (): string => document.body.dataset.timezone || 'UTC';

/** `iso` in the site's zone, e.g. "Dec 8, 2026, 5:17 AM UTC". */
export function inSiteZone(iso: string | null | undefined): string {
  if (!iso) return '';
  // The zone's name for that instant (summer and winter time differ), in the same call.
  // (dateStyle and timeStyle cannot be combined with timeZoneName: the parts are named.)
  return new Date(iso).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: siteZone(),
    timeZoneName: 'short',
  });
}

/** The site's zone as people say it (its short name where one exists). */
export function zoneName(): string {
  const parts = new Intl.DateTimeFormat(undefined, {
    timeZone: siteZone(),
    timeZoneName: 'short',
  }).formatToParts(new Date());
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? siteZone();
}

/** The editor's own zone. */
export const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
