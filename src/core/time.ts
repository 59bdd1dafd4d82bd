/**
 * Simulated time. Every date and timestamp in generated data comes from here, computed from the
 * schedule's dates: never from the wall clock. Dates are UTC calendar days; timestamps are COPY
 * literals (`2024-03-01 06:00:00+00`), which order as text the way they order in time.
 */
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(ms)) {
    throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  }
  return Math.round(ms / MS_PER_DAY);
}

/** `YYYY-MM-DD` of a day number. */
export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` that is `days` after `date`. */
export function addDays(date: string, days: number): string {
  return isoDate(dayNumber(date) + days);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** A timestamptz literal for COPY: `2024-03-01 06:00:00+00`. `time` is `HH:MM` or `HH:MM:SS`. */
export function timestamp(date: string, time = '00:00'): string {
  return `${date} ${time.length === 5 ? `${time}:00` : time}+00`;
}

/** The time of day of a bare date: the start of the day. */
export const MIDNIGHT = '00:00:00';

/** An ISO instant of a UTC day and time of day (`HH:MM` or `HH:MM:SS`): `2025-11-21T11:33:00Z`. */
export function instantOf(date: string, time = MIDNIGHT): string {
  return `${date}T${time.length === 5 ? `${time}:00` : time}Z`;
}
