/**
 * Relative dating and the farm's "now": `asOf: today`, `today-3d`, `now`, a date or an ISO instant
 * in a preset, a schedule file, `seedFarm({ asOf })` or `--as-of`. It resolves once, when the
 * schedule is planned (or a schedule file is read), to an instant: the schedule carries its UTC
 * day (`asOf`) and, when it is not midnight, its time of day (`asOfTime`). Nothing is stamped after
 * that instant, and the cache key covers it, so a farm dated `today` is one farm per day and one
 * dated `now` one per hour, never one per second.
 *
 * - `today`, `today-3d`, `today+1d`: the start (00:00 UTC) of that day;
 * - `now`: the start of the current hour (UTC);
 * - `2025-11-21`: the start of that day, so a date and `today` on that date are the same farm;
 * - `2025-11-21T11:33:00Z` (any ISO instant with a zone): that instant, to the second.
 *
 * Resolving `today`/`now` is the one place aquaseed reads the wall clock. Tests and CI pin it with
 * a clock option (`clock: () => new Date('2026-03-02T11:33:00Z')`) or AQUASEED_TODAY, a date
 * (`2026-03-02`, its 00:00) or an instant (`2026-03-02T11:33:00Z`): the moment a whole pipeline
 * uses, even when its jobs straddle midnight UTC.
 */
import { AquaseedError } from '../core/errors.js';
import { addDays, dayNumber, instantOf, isoDate, MIDNIGHT } from '../core/time.js';
import type { Schedule } from './types.js';

/** What "now" is when a relative date resolves. */
export type Clock = () => Date;

export const TODAY_ENV = 'AQUASEED_TODAY';

/** `today`, `today-3d`, `today+1d`. */
const RELATIVE = /^today(?:([+-])(\d{1,4})d)?$/;
/** `now`: the start of the current hour. */
const NOW = 'now';
/** An ISO instant with a zone: `2025-11-21T11:33Z`, `…T11:33:00.250+01:00`. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The moment of an asOf: its UTC day and time of day (`HH:MM:SS`). */
export interface AsOf {
  readonly date: string;
  readonly time: string;
}

/** Whether `value` is relative to the clock (`today`, `today-3d`, `now`). */
export function isRelativeDate(value: unknown): boolean {
  return typeof value === 'string' && (RELATIVE.test(value) || value === NOW);
}

/**
 * Whether `value` is a `YYYY-MM-DD` date on the calendar. JavaScript's date parser rolls
 * 2025-02-30 over to March 2nd; the round trip refuses it here, at the edge, instead of inside COPY.
 */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return isoDate(dayNumber(value)) === value;
  } catch {
    return false;
  }
}

/** Whether `value` is an ISO instant with a zone (`2025-11-21T11:33:00Z`). */
export function isIsoInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/** Whether `value` can be an asOf: a date, `today[±Nd]`, `now` or an ISO instant. */
export function isAsOfValue(value: unknown): boolean {
  return isIsoDate(value) || isRelativeDate(value) || isIsoInstant(value);
}

/** The current moment: from the clock if given, else AQUASEED_TODAY, else the wall clock. */
export function nowUtc(clock?: Clock): Date {
  if (clock) {
    const now = clock();
    if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
      throw new AquaseedError('AQUASEED_INVALID_OPTION', `clock() returned ${String(now)}, not a valid Date`, 'pass clock: () => new Date(…) returning a valid Date');
    }
    return now;
  }
  const pinned = process.env[TODAY_ENV];
  if (pinned !== undefined && pinned !== '') {
    if (isIsoDate(pinned)) return new Date(`${pinned}T00:00:00Z`);
    if (isIsoInstant(pinned)) return new Date(pinned);
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `${TODAY_ENV}=${JSON.stringify(pinned)} is not a YYYY-MM-DD date or an ISO instant`,
      `set ${TODAY_ENV} to the day "today" means, e.g. ${TODAY_ENV}=2026-03-02, or to the moment "now" is, e.g. ${TODAY_ENV}=2026-03-02T11:33:00Z; or unset it to use the clock`,
    );
  }
  return new Date();
}

/** Today's UTC calendar day. */
export function todayUtc(clock?: Clock): string {
  return nowUtc(clock).toISOString().slice(0, 10);
}

/**
 * A date as a preset, schedule or incident gives it (`2025-11-21`, `today`, `today-3d`, `now`) →
 * `YYYY-MM-DD`. `field` names the key in errors.
 */
export function resolveDate(value: string, field: string, clock?: Clock): string {
  const match = RELATIVE.exec(value);
  if (match) {
    const offset = match[2] === undefined ? 0 : Number(match[2]) * (match[1] === '-' ? -1 : 1);
    return addDays(todayUtc(clock), offset);
  }
  if (value === NOW) return todayUtc(clock);
  if (isIsoDate(value)) return value;
  throw new AquaseedError(
    'AQUASEED_INVALID_OPTION',
    `${field} = ${JSON.stringify(value)}: ${calendarProblem(value) ?? 'expected a YYYY-MM-DD date, today, or today-<n>d (e.g. today-3d)'}`,
    `set ${field} to e.g. "2025-11-21", "today" or "today-3d"`,
  );
}

/**
 * An asOf (`2025-11-21`, `today`, `today-3d`, `now`, `2025-11-21T11:33:00Z`) → the instant it
 * means (see the top of this file). `field` names the key in errors.
 */
export function resolveAsOf(value: string, field: string, clock?: Clock): AsOf {
  if (value === NOW) {
    const iso = nowUtc(clock).toISOString();
    return { date: iso.slice(0, 10), time: `${iso.slice(11, 13)}:00:00` };
  }
  if (isIsoInstant(value)) {
    const iso = new Date(Math.floor(Date.parse(value) / 1000) * 1000).toISOString();
    return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
  }
  if (RELATIVE.test(value) || isIsoDate(value)) return { date: resolveDate(value, field, clock), time: MIDNIGHT };
  throw new AquaseedError(
    'AQUASEED_INVALID_OPTION',
    `${field} = ${JSON.stringify(value)}: expected a YYYY-MM-DD date, today, today-<n>d, now or an ISO instant (e.g. 2025-11-21T11:33:00Z)`,
    `set ${field} to e.g. "2025-11-21", "today", "today-3d", "now" or "2025-11-21T11:33:00Z"`,
  );
}

/** The instant a schedule is dated at, as an ISO string (`2025-11-21T00:00:00Z`). */
export function asOfInstant(schedule: { readonly asOf: string; readonly asOfTime?: string }): string {
  return instantOf(schedule.asOf, schedule.asOfTime ?? MIDNIGHT);
}

/**
 * The schedule with the time of day of its asOf, right after asOf (left out at midnight, so a
 * bare-date schedule stays what it was).
 */
export function datedAt(schedule: Schedule, time: string): Schedule {
  const { asOf, asOfTime: _old, ...rest } = schedule;
  const entries: [string, unknown][] = Object.entries(rest);
  const at = entries.findIndex(([key]) => key === 'seed') + 1;
  entries.splice(at, 0, ['asOf', asOf], ...(time === MIDNIGHT ? [] : [['asOfTime', time] as [string, unknown]]));
  return Object.fromEntries(entries) as unknown as Schedule;
}

/** For a YYYY-MM-DD string that is no day on the calendar (2025-02-30, 2025-13-01): what is wrong with it. */
export function calendarProblem(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return `month ${match[2]} does not exist (01 to 12)`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `day ${match[3]} does not exist: ${year}-${match[2]} has ${days} days`;
  return undefined;
}
