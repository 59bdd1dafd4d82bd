/**
 * Container conflicts: two assignments on one container whose stays [assignment_date,
 * departure_date) overlap, whether of two batches or of one batch twice. AquaMind's run-time
 * allocation raced here (query-then-claim), putting two batches in one tank.
 *
 * An assignment without a departure is open to the farm's last day. Every stay starts on or before
 * that day, so "open" compares exactly like an infinite end and needs no last-day lookup. An
 * inactive assignment without a departure (AquaMind's harvest leaves none) ends at its batch's
 * actual_end_date, or it would falsely collide with the next batch in the ring.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema/tables/index.js';
import { plural } from './format.js';
import { rangeCheck, type Measured } from './judge.js';
import { withFarmDb, type FarmTarget } from './target.js';
import type { CheckResult } from './types.js';

/** How many conflicting pairs are spelled out in the result's detail. */
const SHOWN_PAIRS = 5;

const pairs = sql`
  spans AS (
    SELECT a.id, a.batch_id, a.container_id, a.assignment_date AS starts,
           coalesce(a.departure_date, CASE WHEN NOT a.is_active THEN b.actual_end_date END) AS ends
    FROM batch_batchcontainerassignment a
    JOIN batch_batch b ON b.id = a.batch_id
  ),
  pairs AS (
    SELECT x.id AS x_id, y.id AS y_id, x.container_id,
           x.batch_id AS x_batch, x.starts AS x_starts, x.ends AS x_ends,
           y.batch_id AS y_batch, y.starts AS y_starts, y.ends AS y_ends
    FROM spans x
    JOIN spans y ON y.container_id = x.container_id AND y.id > x.id
    WHERE x.starts < coalesce(y.ends, 'infinity'::date)
      AND y.starts < coalesce(x.ends, 'infinity'::date)
      -- A zero-length stay (arrived and left the same day) holds no fish on any day.
      AND x.starts < coalesce(x.ends, 'infinity'::date)
      AND y.starts < coalesce(y.ends, 'infinity'::date)
  )`;

interface CountRow {
  batch_number: string;
  conflicts: number;
}

interface PairRow {
  container: string;
  x_batch: string;
  x_starts: string;
  x_ends: string | null;
  y_batch: string;
  y_starts: string;
  y_ends: string | null;
}

export async function containerConflicts(target: FarmTarget): Promise<CheckResult> {
  const { counts, shown, total } = await withFarmDb(target, (db) => findConflicts(db));
  const described = shown.map(describePair);
  const measured: Measured[] = counts.map((row) => {
    const entry: Measured = { batchNumber: row.batch_number, value: row.conflicts };
    const example = shown.findIndex((pair) => pair.x_batch === row.batch_number || pair.y_batch === row.batch_number);
    if (row.conflicts > 0 && example >= 0) entry.note = described[example] as string;
    return entry;
  });
  const more = total - shown.length;
  return rangeCheck({
    name: 'containerConflicts',
    label: 'container conflicts',
    unit: 'pairs',
    expected: { min: 0, max: 0 },
    measured,
    value: total,
    ...(total > 0 ? { detail: [...described, ...(more > 0 ? [`and ${plural(more, 'more pair')}`] : [])].join('\n') } : {}),
    counts: { pairs: total },
    emptyReason: 'no batch to judge',
  });
}

async function findConflicts(db: Kysely<Database>): Promise<{ counts: CountRow[]; shown: PairRow[]; total: number }> {
  const counts = await sql<CountRow>`
    WITH ${pairs},
    sides AS (
      SELECT x_batch AS batch_id FROM pairs
      UNION ALL
      SELECT y_batch FROM pairs WHERE y_batch <> x_batch
    )
    SELECT b.batch_number, count(s.batch_id)::float8 AS conflicts
    FROM batch_batch b
    LEFT JOIN sides s ON s.batch_id = b.id
    GROUP BY b.batch_number`.execute(db);
  // The pairs themselves are only needed for the message: a bounded sample, in a stable order.
  const shown = await sql<PairRow & { total: number }>`
    WITH ${pairs}
    SELECT coalesce(c.name, 'id ' || p.container_id) AS container,
           bx.batch_number AS x_batch, to_char(p.x_starts, 'YYYY-MM-DD') AS x_starts, to_char(p.x_ends, 'YYYY-MM-DD') AS x_ends,
           by_.batch_number AS y_batch, to_char(p.y_starts, 'YYYY-MM-DD') AS y_starts, to_char(p.y_ends, 'YYYY-MM-DD') AS y_ends,
           (count(*) OVER ())::float8 AS total
    FROM pairs p
    JOIN batch_batch bx ON bx.id = p.x_batch
    JOIN batch_batch by_ ON by_.id = p.y_batch
    LEFT JOIN infrastructure_container c ON c.id = p.container_id
    ORDER BY container, p.x_starts, p.x_id, p.y_id
    LIMIT ${SHOWN_PAIRS}`.execute(db);
  return { counts: counts.rows, shown: shown.rows, total: shown.rows[0]?.total ?? 0 };
}

/** "container FI-FW-01-A-C01: FAR-2023-001 [2023-01-02, 2023-04-02) overlaps FAR-2023-002 [2023-03-01, open)" */
function describePair(pair: PairRow): string {
  const stay = (starts: string, ends: string | null) => `[${starts}, ${ends ?? 'open'})`;
  const y = pair.y_batch === pair.x_batch ? 'another assignment of the same batch' : pair.y_batch;
  return `container ${pair.container}: ${pair.x_batch} ${stay(pair.x_starts, pair.x_ends)} overlaps ${y} ${stay(pair.y_starts, pair.y_ends)}`;
}
