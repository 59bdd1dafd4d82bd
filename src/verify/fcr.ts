/**
 * Economic FCR per batch: all feed fed ÷ biomass gained. The gain ends at the harvested live weight
 * for a COMPLETED batch, or at the standing biomass of its active assignments for an ACTIVE one, and
 * starts at the eggs' weight. AquaMind's target is 0.9-3.0 ("not 10-70", the Issue #112 symptom).
 */
import { sql } from 'kysely';
import { eggsPerBatch, harvestPerBatch } from './fragments.js';
import { checkRange, rangeCheck, ratio, type Measured } from './judge.js';
import { withFarmDb, type FarmTarget } from './target.js';
import { plural } from './format.js';
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
  const { rows } = await withFarmDb(target, (db) =>
    sql<Row>`
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
      WHERE b.status IN ('ACTIVE', 'COMPLETED')`.execute(db),
  );
  const judged = rows.filter((row) => row.status === 'COMPLETED' || row.stage_order >= minStageOrder);
  const measured: Measured[] = judged.map((row) => {
    const gain = row.end_kg - row.eggs * eggWeightKg;
    const value = ratio(row.feed_kg, gain);
    return value === null
      ? { batchNumber: row.batch_number, value, note: `no biomass gain (${row.end_kg.toFixed(2)} kg now)` }
      : { batchNumber: row.batch_number, value };
  });
  const feedKg = judged.reduce((sum, row) => sum + row.feed_kg, 0);
  const gainKg = judged.reduce((sum, row) => sum + row.end_kg - row.eggs * eggWeightKg, 0);
  const young = rows.length - judged.length;
  return rangeCheck({
    name: 'fcr',
    label: 'FCR',
    unit: 'ratio',
    expected,
    measured,
    value: ratio(feedKg, gainKg),
    ...(young > 0 ? { detail: `${plural(young, 'ACTIVE batch', 'ACTIVE batches')} before stage ${minStageOrder} not judged` } : {}),
    counts: { batches: judged.length, notJudged: young, feedKg, gainKg },
    emptyReason: 'no batch old enough to judge',
  });
}
