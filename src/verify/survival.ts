/**
 * Survival: harvested fish ÷ eggs placed, per COMPLETED batch. AquaMind's guide asks 83-87 %; the
 * original engine reached only ~76 % at harvest, which is exactly what this check is here to catch.
 * A batch with a mortality-spike incident is judged with the incident's fish counted as survivors
 * (they died of the incident, not of the farm's routine); its note says so and gives the survival
 * as harvested.
 */
import { sql } from 'kysely';
import { AquaseedError } from '../core/errors.js';
import { eggsPerBatch, harvestPerBatch } from './fragments.js';
import { checkRange, rangeCheck, ratio, type Measured } from './judge.js';
import { withFarmDb, type FarmTarget } from './target.js';
import { formatValue } from './format.js';
import { incidentLosses, relaxedDetail } from './incident-losses.js';
import type { CheckResult, Range } from './types.js';

export const DEFAULT_SURVIVAL: Range = { min: 0.83, max: 0.87 };

interface Row {
  batch_number: string;
  eggs: number;
  fish: number;
}

export async function survival(target: FarmTarget, range: Range = DEFAULT_SURVIVAL): Promise<CheckResult> {
  const expected = checkRange(range, 'survival');
  if (expected.max > 1) {
    // No batch can keep more fish than it was given: a bound above 1 is a percentage typed as a fraction.
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `survival: the range ${expected.min}-${expected.max} looks like percentages; survival is a fraction of the eggs`,
      `pass fractions, e.g. { min: ${expected.min / 100}, max: ${expected.max / 100} }`,
    );
  }
  const { rows, losses } = await withFarmDb(target, async (db) => ({ losses: await incidentLosses(db), ...(await sql<Row>`
      WITH eggs AS (${eggsPerBatch}), harvested AS (${harvestPerBatch})
      SELECT b.batch_number, coalesce(eggs.eggs, 0) AS eggs, coalesce(h.fish, 0) AS fish
      FROM batch_batch b
      LEFT JOIN eggs ON eggs.batch_id = b.id
      LEFT JOIN harvested h ON h.batch_id = b.id
      WHERE b.status = 'COMPLETED'`.execute(db)) }));
  const measured: Measured[] = rows.map((row) => {
    const loss = losses.get(row.batch_number);
    const value = ratio(row.fish + (loss?.fish ?? 0), row.eggs);
    if (value === null) return { batchNumber: row.batch_number, value, note: 'no egg placement recorded' };
    if (row.fish === 0) return { batchNumber: row.batch_number, value, note: 'COMPLETED without a harvest' };
    if (loss) return { batchNumber: row.batch_number, value, note: `incident: ${loss.label} counted as survived; ${formatValue(row.fish / row.eggs, 'fraction')} as harvested` };
    return { batchNumber: row.batch_number, value };
  });
  const eggs = rows.reduce((sum, row) => sum + row.eggs, 0);
  const fish = rows.reduce((sum, row) => sum + row.fish, 0);
  const incidentFish = rows.reduce((sum, row) => sum + (losses.get(row.batch_number)?.fish ?? 0), 0);
  const detail = relaxedDetail(losses, rows.map((row) => row.batch_number), 'survival');
  return rangeCheck({
    name: 'survival',
    label: 'survival',
    unit: 'fraction',
    expected,
    measured,
    value: ratio(fish + incidentFish, eggs),
    ...(detail ? { detail } : {}),
    counts: { batches: rows.length, eggs, harvestedFish: fish, ...(incidentFish > 0 ? { incidentFish } : {}) },
    emptyReason: 'no COMPLETED batch to judge',
  });
}
