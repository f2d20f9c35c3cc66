// Created once per isolate: building an Intl formatter per request costs more than formatting.
const LONG_DATE = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' });

/** @example formatDate('2016-11-14') // 'November 14, 2016' */
export function formatDate(isoDate: string): string {
  return LONG_DATE.format(new Date(isoDate));
}
