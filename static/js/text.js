/* Formatting shared by the screens: times, counts, dates. */
const TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const NUMBER = new Intl.NumberFormat();

/* "12 Mar 2026, 14:05" in the reader's locale and time zone, from an ISO 8601 timestamp. */
export function formatTime(iso) {
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? iso : TIME.format(parsed);
}

const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const MINUTE_MS = 60 * 1000;

/* How long ago an ISO 8601 time was, at `now` (ms): "now", "3 min", "2 h", "5 d", and from a
   week on its date ("12 Mar 2026"). Times ahead of `now` (another clock) read "now". */
export function relativeTime(iso, now) {
  const parsed = new Date(iso);
  if (Number.isNaN(parsed.getTime())) return iso;
  const minutes = Math.floor((now - parsed.getTime()) / MINUTE_MS);
  if (minutes < 1) return 'now';
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h`;
  if (minutes < 7 * 24 * 60) return `${Math.floor(minutes / (24 * 60))} d`;
  return DAY.format(parsed);
}

/* "2026-03-12 14:05:09 UTC": the full time, whatever the reader's zone. */
export function utcTime(iso) {
  const parsed = new Date(iso);
  if (Number.isNaN(parsed.getTime())) return iso;
  return `${parsed.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
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
