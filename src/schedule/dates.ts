/**
 * Relative dating: `asOf: today` or `today-3d` in a preset, a schedule file, `seedFarm({ asOf })`
 * or `--as-of`. It resolves once, when the schedule is planned (or a schedule file is read), to a
 * UTC calendar day; the schedule, its hash and everything generated carry that resolved date, so
 * a seed is deterministic for its day and a cache entry is per day.
 *
 * Resolving "today" is the one place aquaseed reads the wall clock. Tests and CI pin it with a
 * clock option (`clock: () => new Date('2026-03-02T00:00:00Z')`) or AQUASEED_TODAY=YYYY-MM-DD
 * (the day a whole pipeline uses, even when its jobs straddle midnight UTC).
 */
import { AquaseedError } from '../core/errors.js';
import { addDays, dayNumber, isoDate } from '../core/time.js';

/** What "now" is when a relative date resolves. */
export type Clock = () => Date;

export const TODAY_ENV = 'AQUASEED_TODAY';

/** `today`, `today-3d`, `today+1d`. */
const RELATIVE = /^today(?:([+-])(\d{1,4})d)?$/;

/** Whether `value` is a relative date (`today`, `today-3d`). */
export function isRelativeDate(value: unknown): boolean {
  return typeof value === 'string' && RELATIVE.test(value);
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

/** Today's UTC calendar day: from the clock if given, else AQUASEED_TODAY, else the wall clock. */
export function todayUtc(clock?: Clock): string {
  if (clock) {
    const now = clock();
    if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
      throw new AquaseedError('AQUASEED_INVALID_OPTION', `clock() returned ${String(now)}, not a valid Date`, 'pass clock: () => new Date(…) returning a valid Date');
    }
    return now.toISOString().slice(0, 10);
  }
  const pinned = process.env[TODAY_ENV];
  if (pinned !== undefined && pinned !== '') {
    if (!isIsoDate(pinned)) {
      throw new AquaseedError(
        'AQUASEED_INVALID_OPTION',
        `${TODAY_ENV}=${JSON.stringify(pinned)} is not a YYYY-MM-DD date`,
        `set ${TODAY_ENV} to the day "today" means, e.g. ${TODAY_ENV}=2026-03-02, or unset it to use the clock`,
      );
    }
    return pinned;
  }
  return new Date().toISOString().slice(0, 10);
}

/**
 * A date as a preset or schedule gives it (`2025-11-21`, `today`, `today-3d`) → `YYYY-MM-DD`.
 * `field` names the key in errors.
 */
export function resolveDate(value: string, field: string, clock?: Clock): string {
  const match = RELATIVE.exec(value);
  if (match) {
    const offset = match[2] === undefined ? 0 : Number(match[2]) * (match[1] === '-' ? -1 : 1);
    return addDays(todayUtc(clock), offset);
  }
  if (isIsoDate(value)) return value;
  throw new AquaseedError(
    'AQUASEED_INVALID_OPTION',
    `${field} = ${JSON.stringify(value)}: ${calendarProblem(value) ?? 'expected a YYYY-MM-DD date, today, or today-<n>d (e.g. today-3d)'}`,
    `set ${field} to e.g. "2025-11-21", "today" or "today-3d"`,
  );
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
