/**
 * Harvest weight: live kilograms per harvested fish, per COMPLETED batch, over all its harvest lots
 * (grades included, so it is the batch's average fish, not the best grade's).
 */
import { sql } from 'kysely';
import { harvestPerBatch } from './fragments.js';
import { checkRange, rangeCheck, ratio, type Measured } from './judge.js';
import { withFarmDb, type FarmTarget } from './target.js';
import type { CheckResult, Range } from './types.js';

export const DEFAULT_HARVEST_WEIGHT_KG: Range = { min: 4.5, max: 6.5 };

interface Row {
  batch_number: string;
  fish: number;
  live_kg: number;
}

export async function harvestWeight(target: FarmTarget, rangeKg: Range = DEFAULT_HARVEST_WEIGHT_KG): Promise<CheckResult> {
  const expected = checkRange(rangeKg, 'harvestWeight');
  const { rows } = await withFarmDb(target, (db) =>
    sql<Row>`
      WITH harvested AS (${harvestPerBatch})
      SELECT b.batch_number, coalesce(h.fish, 0) AS fish, coalesce(h.live_kg, 0) AS live_kg
      FROM batch_batch b
      LEFT JOIN harvested h ON h.batch_id = b.id
      WHERE b.status = 'COMPLETED'`.execute(db),
  );
  const measured: Measured[] = rows.map((row) => {
    const value = ratio(row.live_kg, row.fish);
    return value === null
      ? { batchNumber: row.batch_number, value, note: 'COMPLETED without a harvest' }
      : { batchNumber: row.batch_number, value };
  });
  const fish = rows.reduce((sum, row) => sum + row.fish, 0);
  const liveKg = rows.reduce((sum, row) => sum + row.live_kg, 0);
  return rangeCheck({
    name: 'harvestWeight',
    label: 'average harvest weight',
    unit: 'kg',
    expected,
    measured,
    value: ratio(liveKg, fish),
    counts: { batches: rows.length, harvestedFish: fish, liveKg },
    emptyReason: 'no COMPLETED batch to judge',
  });
}
