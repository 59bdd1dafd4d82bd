/**
 * One simulated day's date and timestamp strings, built once per day so rows reuse them instead of
 * formatting dates per row, and what of the day has happened: every hour of a day before asOf; on
 * the asOf day only what is due at or before the farm's "now" (the schedule's asOf instant). What
 * is due later that day has not happened: no row is stamped after "now".
 */
import { isoDate, timestamp } from '../core/time.js';
import { READING_TIMES } from '../core/tuning.js';

/**
 * The end of a simulated day: the day's growth is in and AquaMind's growth analysis computes the
 * day's states. On the asOf day this happens only if "now" is this late.
 */
export const DAY_END_TIME = '23:00';

export class DayClock {
  /** Calendar date `YYYY-MM-DD`. */
  readonly date: string;
  /** Timestamps of the sensor reading hours, in READING_TIMES order. */
  readonly readingStamps: readonly string[];
  /** On the asOf day, the time of day (`HH:MM:SS`) of the farm's "now"; null on every earlier day. */
  private readonly cutoff: string | null;

  constructor(
    /** Batch-relative day index (0 = start date). */
    readonly d: number,
    /** Days since 1970-01-01. */
    readonly dayNumber: number,
    /** `HH:MM:SS` of "now" when this is the asOf day. */
    cutoff: string | null = null,
  ) {
    this.date = isoDate(dayNumber);
    this.readingStamps = READING_TIMES.map((time) => timestamp(this.date, time));
    this.cutoff = cutoff;
  }

  /** Timestamp of this day at `HH:MM`. */
  stamp(time: string): string {
    return timestamp(this.date, time);
  }

  /** Whether what is due at `time` (`HH:MM` or `HH:MM:SS`) today has happened by the farm's "now". */
  happened(time: string): boolean {
    return this.cutoff === null || (time.length === 5 ? `${time}:00` : time) <= this.cutoff;
  }

  /** Whether the whole day has happened (a day before asOf). */
  get complete(): boolean {
    return this.cutoff === null;
  }
}
