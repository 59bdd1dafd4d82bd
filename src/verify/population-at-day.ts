/**
 * Population at the start of day N (AquaMind's day_number: day N is start_date + N − 1, so day 91
 * is the first Fry day): eggs placed − deaths dated before that day − fish harvested before it.
 *
 * This is the Issue #112 guard. AquaMind once counted transferred fish twice (pre-populated
 * destination assignments plus TransferActions), showing 5,985,268 fish on day 91 of a 3 M-egg
 * batch. Counting from eggs and events, never from assignment populations, cannot double; a
 * figure above `doubledAbove` is flagged as that symptom anyway, for data written by other tools.
 * Fish a mortality-spike incident killed before that day count as alive; the batch's note says so.
 */
import { sql } from 'kysely';
import { AquaseedError } from '../core/errors.js';
import { eggsPerBatch } from './fragments.js';
import { plural } from './format.js';
import { checkRange, rangeCheck, type Measured } from './judge.js';
import { targetAsOf, withFarmDb, type FarmTarget } from './target.js';
import { incidentLosses, relaxedDetail } from './incident-losses.js';
import type { CheckResult } from './types.js';

export interface PopulationAtDayOptions {
  /** 1-based day number (default 91, the first Fry day). */
  day?: number;
  /** Expected fish alive (default 2.8-3.2 M, AquaMind's window for ~3.5 M eggs). */
  min?: number;
  max?: number;
  /** Above this a batch is reported as "doubled" (default 5 M). */
  doubledAbove?: number;
  /**
   * The farm's last day (YYYY-MM-DD): ACTIVE batches whose day N falls after it are too young to
   * judge. Defaults to the Farm handle's schedule.asOf, else each batch's latest recorded date.
   */
  asOf?: string;
}

interface Row {
  batch_number: string;
  day_date: string;
  old_enough: boolean;
  eggs: number;
  deaths: number;
  harvested: number;
}

export async function populationAtDay(target: FarmTarget, options: PopulationAtDayOptions = {}): Promise<CheckResult> {
  const day = options.day ?? 91;
  if (!Number.isInteger(day) || day < 1) {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `populationAtDay: day must be a whole number >= 1 (AquaMind's 1-based day_number), got ${day}`,
      'pass e.g. 91 for the first Fry day',
    );
  }
  const expected = checkRange({ min: options.min ?? 2_800_000, max: options.max ?? 3_200_000 }, 'populationAtDay');
  const doubledAbove = options.doubledAbove ?? 5_000_000;
  const asOf = options.asOf ?? targetAsOf(target) ?? null;
  const { rows, losses } = await withFarmDb(target, async (db) => ({ losses: await incidentLosses(db), ...(await sql<Row>`
      WITH eggs AS (${eggsPerBatch}),
      batches AS (
        SELECT id, batch_number, status, actual_end_date, start_date + (${day}::int - 1) AS day_date
        FROM batch_batch WHERE status IN ('ACTIVE', 'COMPLETED')
      ),
      deaths AS (
        SELECT m.batch_id,
               (sum(m.count) FILTER (WHERE m.event_date < t.day_date))::float8 AS before_day,
               max(m.event_date) AS last_event
        FROM batch_mortalityevent m JOIN batches t ON t.id = m.batch_id
        GROUP BY m.batch_id
      ),
      harvested AS (
        SELECT e.batch_id, sum(l.unit_count)::float8 AS fish
        FROM harvest_harvestevent e
        JOIN harvest_harvestlot l ON l.event_id = e.id
        JOIN batches t ON t.id = e.batch_id
        WHERE (e.event_date AT TIME ZONE 'UTC')::date < t.day_date
        GROUP BY e.batch_id
      ),
      moves AS (
        SELECT batch_id, max(greatest(assignment_date, departure_date)) AS last_move
        FROM batch_batchcontainerassignment GROUP BY batch_id
      )
      SELECT t.batch_number,
             to_char(t.day_date, 'YYYY-MM-DD') AS day_date,
             -- A harvested batch's last day is its harvest; an active one's is the farm's "today"
             -- or, without one, the latest day anything was recorded for it.
             coalesce(t.day_date <= CASE
               WHEN t.status = 'COMPLETED' AND t.actual_end_date IS NOT NULL THEN t.actual_end_date
               ELSE coalesce(CAST(${asOf} AS date), greatest(d.last_event, mv.last_move))
             END, false) AS old_enough,
             coalesce(eggs.eggs, 0) AS eggs,
             coalesce(d.before_day, 0) AS deaths,
             coalesce(h.fish, 0) AS harvested
      FROM batches t
      LEFT JOIN eggs ON eggs.batch_id = t.id
      LEFT JOIN deaths d ON d.batch_id = t.id
      LEFT JOIN harvested h ON h.batch_id = t.id
      LEFT JOIN moves mv ON mv.batch_id = t.id`.execute(db)) }));
  const judged = rows.filter((row) => row.old_enough);
  const spikedBefore = (row: Row) => [...(losses.get(row.batch_number)?.byDay ?? [])].filter(([date]) => date < row.day_date);
  const measured: Measured[] = judged.map((row) => {
    const spiked = spikedBefore(row);
    const added = spiked.reduce((n, [, fish]) => n + fish, 0);
    const value = row.eggs > 0 ? row.eggs - row.deaths + added - row.harvested : null;
    if (value === null) return { batchNumber: row.batch_number, value, note: 'no egg placement recorded' };
    if (spiked.length > 0) return { batchNumber: row.batch_number, value, note: `incident: ${plural(added, 'fish', 'fish')} of mortality-spike ${spiked.map(([date]) => date).join(', ')} counted as alive` };
    if (value > doubledAbove) {
      return { batchNumber: row.batch_number, value, note: `doubled: above ${plural(doubledAbove, 'fish', 'fish')}, the AquaMind Issue #112 symptom` };
    }
    return { batchNumber: row.batch_number, value };
  });
  const result = rangeCheck({
    name: 'populationAtDay',
    label: `population at day ${day}`,
    unit: 'fish',
    expected,
    measured,
    value: null,
    counts: {
      day,
      batches: judged.length,
      tooYoung: rows.length - judged.length,
      doubled: measured.filter((m) => m.value !== null && m.value > doubledAbove).length,
    },
    emptyReason: `no batch has reached day ${day}`,
  });
  // A single farm-wide population means nothing; the headline figure is the worst batch's.
  result.value = result.worst?.value ?? null;
  const young = rows.length - judged.length;
  const relaxed = relaxedDetail(losses, judged.filter((row) => spikedBefore(row).length > 0).map((row) => row.batch_number), `population at day ${day}`);
  const details = [...(young > 0 ? [`${plural(young, 'batch', 'batches')} not yet at day ${day}`] : []), ...(relaxed ? [relaxed] : [])];
  if (details.length > 0) result.detail = details.join('\n');
  return result;
}
