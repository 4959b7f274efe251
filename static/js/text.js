/* Formatting shared by the screens: times, counts, dates. */
const TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const NUMBER = new Intl.NumberFormat();

/* "12 Mar 2026, 14:05" in the reader's locale and time zone, from an ISO 8601 timestamp. */
export function formatTime(iso) {
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? iso : TIME.format(parsed);
}

/* "1 citizen", "2,000 citizens". */
export function count(number, singular, plural = `${singular}s`) {
  return `${NUMBER.format(number)} ${number === 1 ? singular : plural}`;
}

/* A date as `YYYY-MM-DD` in UTC. */
export function isoDate(date) {
  return date.toISOString().slice(0, 10);
}

/* `days` days before `date`. */
export function daysBefore(date, days) {
  return new Date(date.getTime() - days * 24 * 3600 * 1000);
}
