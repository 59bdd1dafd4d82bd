/**
 * One simulated day's date and timestamp strings, built once per day so rows reuse them instead of
 * formatting dates per row.
 */
import { isoDate, timestamp } from '../core/time.js';
import { READING_TIMES } from '../core/tuning.js';

export class DayClock {
  /** Calendar date `YYYY-MM-DD`. */
  readonly date: string;
  /** Timestamps of the sensor reading hours, in READING_TIMES order. */
  readonly readingStamps: readonly string[];

  constructor(
    /** Batch-relative day index (0 = start date). */
    readonly d: number,
    /** Days since 1970-01-01. */
    readonly dayNumber: number,
  ) {
    this.date = isoDate(dayNumber);
    this.readingStamps = READING_TIMES.map((time) => timestamp(this.date, time));
  }

  /** Timestamp of this day at `HH:MM`. */
  stamp(time: string): string {
    return timestamp(this.date, time);
  }
}
