/**
 * Economic FCR per batch: all feed fed ÷ biomass gained. The gain ends at the harvested live weight
 * for a COMPLETED batch, or at the standing biomass of its active assignments for an ACTIVE one, and
 * starts at the eggs' weight. AquaMind's target is 0.9-3.0 ("not 10-70", the Issue #112 symptom).
 * A batch with a mortality-spike incident counts the biomass the incident killed as gained (the
 * feed went into those fish); its note says so.
 */
import { sql } from 'kysely';
import { eggsPerBatch, harvestPerBatch } from './fragments.js';
import { checkRange, rangeCheck, ratio, type Measured } from './judge.js';
import { withFarmDb, type FarmTarget } from './target.js';
import { formatCount, plural } from './format.js';
import { incidentLosses, relaxedDetail } from './incident-losses.js';
import type { CheckResult, Range } from './types.js';

export interface FcrOptions extends Range {
  /**
   * ACTIVE batches are judged from this lifecycle stage order on (default 3, Parr). Early in Fry a
   * batch's biomass has barely left the eggs' weight (Egg&Alevin losses can even put it below), so
   * feed ÷ gain divides by almost nothing and says nothing about the data yet.
   */
  minStageOrder?: number;
  /** Weight of an egg at placement, in grams (AquaMind places eggs at 0.1 g). */
  eggWeightG?: number;
}

export const DEFAULT_FCR: Range = { min: 0.9, max: 3.0 };

interface Row {
  batch_number: string;
  status: string;
  stage_order: number;
  eggs: number;
  feed_kg: number;
  end_kg: number;
}

export async function fcr(target: FarmTarget, options: Partial<FcrOptions> = {}): Promise<CheckResult> {
  const expected = checkRange({ min: options.min ?? DEFAULT_FCR.min, max: options.max ?? DEFAULT_FCR.max }, 'fcr');
  const minStageOrder = options.minStageOrder ?? 3;
  const eggWeightKg = (options.eggWeightG ?? 0.1) / 1000;
  const { rows, losses } = await withFarmDb(target, async (db) => ({ losses: await incidentLosses(db), ...(await sql<Row>`
      WITH eggs AS (${eggsPerBatch}),
      harvested AS (${harvestPerBatch}),
      feed AS (
        SELECT batch_id, sum(amount_kg)::float8 AS kg FROM inventory_feedingevent GROUP BY batch_id
      ),
      standing AS (
        SELECT batch_id, sum(biomass_kg)::float8 AS kg
        FROM batch_batchcontainerassignment WHERE is_active GROUP BY batch_id
      )
      SELECT b.batch_number, b.status, s."order"::float8 AS stage_order,
             coalesce(eggs.eggs, 0) AS eggs,
             coalesce(feed.kg, 0) AS feed_kg,
             coalesce(CASE WHEN b.status = 'COMPLETED' THEN h.live_kg ELSE st.kg END, 0) AS end_kg
      FROM batch_batch b
      JOIN batch_lifecyclestage s ON s.id = b.lifecycle_stage_id
      LEFT JOIN eggs ON eggs.batch_id = b.id
      LEFT JOIN harvested h ON h.batch_id = b.id
      LEFT JOIN feed ON feed.batch_id = b.id
      LEFT JOIN standing st ON st.batch_id = b.id
      WHERE b.status IN ('ACTIVE', 'COMPLETED')`.execute(db)) }));
  const judged = rows.filter((row) => row.status === 'COMPLETED' || row.stage_order >= minStageOrder);
  const gainOf = (row: Row) => row.end_kg + (losses.get(row.batch_number)?.kg ?? 0) - row.eggs * eggWeightKg;
  const measured: Measured[] = judged.map((row) => {
    const value = ratio(row.feed_kg, gainOf(row));
    const loss = losses.get(row.batch_number);
    if (value === null) return { batchNumber: row.batch_number, value, note: `no biomass gain (${row.end_kg.toFixed(2)} kg now)` };
    if (loss) return { batchNumber: row.batch_number, value, note: `incident: ${loss.label}, ${formatCount(Math.round(loss.kg))} kg, counted as gained` };
    return { batchNumber: row.batch_number, value };
  });
  const feedKg = judged.reduce((sum, row) => sum + row.feed_kg, 0);
  const gainKg = judged.reduce((sum, row) => sum + gainOf(row), 0);
  const young = rows.length - judged.length;
  const relaxed = relaxedDetail(losses, judged.map((row) => row.batch_number), 'FCR');
  const details = [...(young > 0 ? [`${plural(young, 'ACTIVE batch', 'ACTIVE batches')} before stage ${minStageOrder} not judged`] : []), ...(relaxed ? [relaxed] : [])];
  return rangeCheck({
    name: 'fcr',
    label: 'FCR',
    unit: 'ratio',
    expected,
    measured,
    value: ratio(feedKg, gainKg),
    ...(details.length > 0 ? { detail: details.join('\n') } : {}),
    counts: { batches: judged.length, notJudged: young, feedKg, gainKg },
    emptyReason: 'no batch old enough to judge',
  });
}
