/**
 * Utilization: the share of HOLDING containers (freshwater tanks and trays in halls, sea rings in
 * areas) that hold a batch on the farm's "today" (asOf), farm-wide and per geography, freshwater
 * and sea. A container holds a batch on a day when one of its assignments covers it:
 * [assignment_date, departure_date), open without a departure (an inactive one without a
 * departure ends at its batch's actual_end_date, as in the container-conflicts check).
 *
 * AquaMind's verify script took the same snapshot (active containers ÷ all containers) and passed
 * 25-50 % for 40 batches, 75-90 % for 150 or more. By default the check only reports (0-100 %);
 * pass a range to judge it, and a geography and/or water to judge that part.
 */
import { sql, type Kysely } from 'kysely';
import { AquaseedError } from '../core/errors.js';
import type { Database } from '../schema/tables/index.js';
import { formatValue } from './format.js';
import { checkRange, within } from './judge.js';
import { targetAsOf, withFarmDb, type FarmTarget } from './target.js';
import { markerAsOf, readMarkerIn } from '../db/marker.js';
import type { CheckResult, Range } from './types.js';

export type Water = 'freshwater' | 'sea';

export interface UtilizationOptions extends Partial<Range> {
  /** The day to measure (YYYY-MM-DD); default the Farm handle's schedule.asOf, else the seeded schedule's, else the latest batch update. */
  asOf?: string;
  /** Judge only this geography's containers. */
  geography?: string;
  /** Judge only freshwater (hall) or sea (area) containers. */
  water?: Water;
}

/** Reported, not judged, unless a range is given. */
export const DEFAULT_UTILIZATION: Range = { min: 0, max: 1 };

interface Row {
  geography: string;
  water: Water;
  holding: number;
  occupied: number;
}

export async function utilization(target: FarmTarget, options: UtilizationOptions = {}): Promise<CheckResult> {
  const expected = checkRange({ min: options.min ?? DEFAULT_UTILIZATION.min, max: options.max ?? DEFAULT_UTILIZATION.max }, 'utilization');
  if (options.water !== undefined && options.water !== 'freshwater' && options.water !== 'sea') {
    throw new AquaseedError('AQUASEED_INVALID_OPTION', `utilization: water must be 'freshwater' or 'sea', got ${JSON.stringify(options.water)}`, "pass water: 'freshwater' or 'sea', or leave it out for both");
  }
  const { asOf, rows } = await withFarmDb(target, async (db) => {
    const day = options.asOf ?? targetAsOf(target) ?? (await seededAsOf(db));
    return { asOf: day, rows: day === null ? [] : await occupancy(db, day) };
  });
  const scope = [options.geography, options.water].filter((part) => part !== undefined).join(' ');
  const label = `${scope ? `${scope} ` : ''}utilization${asOf ? ` on ${asOf}` : ''}`;
  if (options.geography !== undefined && rows.length > 0 && !rows.some((row) => row.geography === options.geography)) {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `utilization: no geography ${JSON.stringify(options.geography)} in the farm`,
      `use one of: ${[...new Set(rows.map((row) => row.geography))].join(', ')}`,
    );
  }
  const judged = rows.filter((row) => (options.geography === undefined || row.geography === options.geography) && (options.water === undefined || row.water === options.water));
  const holding = sum(judged, 'holding');
  const occupied = sum(judged, 'occupied');
  const value = holding > 0 ? occupied / holding : null;
  const result: CheckResult = {
    name: 'utilization',
    label,
    pass: value !== null && within(value, expected),
    value,
    expected,
    unit: 'fraction',
    perBatch: [],
    counts: breakdown(rows),
  };
  if (rows.length > 0) result.detail = describe(rows);
  if (asOf === null) result.skipped = 'no batch in the farm, so no day to measure';
  else if (holding === 0) result.skipped = `no HOLDING containers${scope ? ` in ${scope}` : ''}`;
  if (result.skipped) result.pass = true;
  return result;
}

/** The seeded schedule's asOf (aquaseed's marker table), else the latest day a batch row was updated. */
async function seededAsOf(db: Kysely<Database>): Promise<string | null> {
  const asOf = markerAsOf(await readMarkerIn(db));
  if (asOf) return asOf;
  const { rows } = await sql<{ day: string | null }>`
    SELECT to_char(max((updated_at AT TIME ZONE 'UTC')::date), 'YYYY-MM-DD') AS day FROM batch_batch`.execute(db);
  return rows[0]?.day ?? null;
}

async function occupancy(db: Kysely<Database>, asOf: string): Promise<Row[]> {
  const { rows } = await sql<Row>`
    WITH holding AS (
      SELECT c.id, g.name AS geography, CASE WHEN c.hall_id IS NOT NULL THEN 'freshwater' ELSE 'sea' END AS water
      FROM infrastructure_container c
      LEFT JOIN infrastructure_hall h ON h.id = c.hall_id
      LEFT JOIN infrastructure_freshwaterstation s ON s.id = h.freshwater_station_id
      LEFT JOIN infrastructure_area a ON a.id = c.area_id
      JOIN infrastructure_geography g ON g.id = coalesce(s.geography_id, a.geography_id)
      WHERE c.hierarchy_role = 'HOLDING' AND c.active
    ),
    occupied AS (
      SELECT DISTINCT x.container_id
      FROM batch_batchcontainerassignment x
      JOIN batch_batch b ON b.id = x.batch_id
      WHERE x.assignment_date <= CAST(${asOf} AS date)
        AND CAST(${asOf} AS date) < coalesce(x.departure_date, CASE WHEN NOT x.is_active THEN b.actual_end_date END, 'infinity'::date)
    )
    SELECT h.geography, h.water, count(*)::float8 AS holding, count(o.container_id)::float8 AS occupied
    FROM holding h
    LEFT JOIN occupied o ON o.container_id = h.id
    GROUP BY h.geography, h.water
    ORDER BY h.geography, h.water`.execute(db);
  return rows;
}

function sum(rows: readonly Row[], key: 'holding' | 'occupied'): number {
  return rows.reduce((n, row) => n + row[key], 0);
}

/** `holding`, `occupied`, then `freshwater.occupied`, `Scotland.sea.holding`, … */
function breakdown(rows: readonly Row[]): Record<string, number> {
  const counts: Record<string, number> = { holding: sum(rows, 'holding'), occupied: sum(rows, 'occupied') };
  const add = (key: string, row: Row) => {
    counts[`${key}.holding`] = (counts[`${key}.holding`] ?? 0) + row.holding;
    counts[`${key}.occupied`] = (counts[`${key}.occupied`] ?? 0) + row.occupied;
  };
  for (const row of rows) {
    add(row.water, row);
    add(row.geography, row);
    add(`${row.geography}.${row.water}`, row);
  }
  return counts;
}

/** "Faroe Islands freshwater: 230 of 600 (38.3 %)", one line per geography and water, then totals. */
function describe(rows: readonly Row[]): string {
  const line = (name: string, occupied: number, holding: number) =>
    `${name}: ${occupied} of ${holding} (${formatValue(holding > 0 ? occupied / holding : null, 'fraction')})`;
  const lines = rows.map((row) => line(`${row.geography} ${row.water}`, row.occupied, row.holding));
  for (const water of ['freshwater', 'sea'] as const) {
    const part = rows.filter((row) => row.water === water);
    lines.push(line(`all ${water}`, sum(part, 'occupied'), sum(part, 'holding')));
  }
  return lines.join('\n');
}
