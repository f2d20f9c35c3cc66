/**
 * An RFC 3339 date-time for a published date: a bare date is midnight UTC.
 * @example toDateTime('2016-11-14') // '2016-11-14T00:00:00Z'
 */
export function toDateTime(date: string): string {
  return date.length === 10 ? `${date}T00:00:00Z` : date;
}

// Created once per isolate: building an Intl formatter per request costs more than formatting.
const LONG_DATE = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' });

/** @example formatDate('2016-11-14') // 'November 14, 2016' */
export function formatDate(isoDate: string): string {
  return LONG_DATE.format(new Date(isoDate));
}
