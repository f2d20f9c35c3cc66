const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for XML element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

/**
 * An RFC 3339 date-time for a published date: a bare date is midnight UTC.
 * @example toDateTime('2016-11-14') // '2016-11-14T00:00:00Z'
 */
export function toDateTime(date: string): string {
  return date.length === 10 ? `${date}T00:00:00Z` : date;
}
