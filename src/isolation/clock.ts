/**
 * The farm's "now": the one instant the clocks around a farm are set to (`farmClock: 'asOf'` for
 * the browser, `app.clock: 'asOf'` for the app). This is the only place it is computed.
 *
 * A farm's data ends on its `asOf` day, with that day's last sensor readings (READING_TIMES, UTC):
 * its now is that reading's time, so "the last hour" and "today" widgets show the farm's last
 * data. An `asOf` that already is an instant (an ISO date-time) is taken as it is.
 */
import { READING_TIMES } from '../core/tuning.js';
import { AquaseedError } from '../core/errors.js';
import type { Schedule } from '../schedule/types.js';

export function farmInstant(schedule: Pick<Schedule, 'asOf'>): Date {
  const asOf = String(schedule.asOf);
  const instant = /T/.test(asOf) ? new Date(asOf) : new Date(`${asOf}T${READING_TIMES[READING_TIMES.length - 1]}:00Z`);
  if (Number.isNaN(instant.getTime())) {
    throw new AquaseedError('AQUASEED_INVALID_OPTION', `the farm's asOf ${JSON.stringify(asOf)} is not a date`, 'seed the farm with asOf as YYYY-MM-DD (or today)');
  }
  return instant;
}
