/**
 * Each batch's harvest target: drawn from its own seeded stream within the preset's range, and for
 * a ladder batch high enough to keep it in the water on asOf.
 */
import { AquaseedError } from '../core/errors.js';
import { round2 } from '../core/numbers.js';
import { Rng } from '../core/rng.js';
import { dayNumber } from '../core/time.js';
import { seaTransferDay } from '../core/stages.js';
import type { GeographyLayout } from '../core/layout.js';
import { lastHarvestDay, type HarvestInput } from './harvest-window.js';
import type { Preset } from './preset.js';

/** A batch to plan: who, where, when; the planner adds the containers. */
export interface BatchSeed {
  geography: GeographyLayout;
  startDate: string;
  batchNumber: string;
  /** 0 for the cohort, 1 for the ladder: orders batches starting the same day. */
  kind: 0 | 1;
  /** A ladder batch's age on asOf: it must still be in the water then. */
  ladderAge?: number;
}

/** Harvest targets keep 0.5 % inside the preset's range (see drawHarvestTarget). */
export function targetBounds([minKg, maxKg]: readonly [number, number]): [number, number] {
  const low = minKg * 1.005;
  return [low, Math.max(low, maxKg * 0.995)];
}

/**
 * The average-weight target that ends the batch, from the batch's own seeded stream. The harvest
 * campaign lands within about ±0.2 % of it (rings are harvested two a day at a growing weight), so
 * targets keep 0.5 % inside the preset's range and the harvested average always falls within it.
 * A ladder batch draws above `atLeastKg`, the lowest target that keeps it in the water on asOf.
 */
export function drawHarvestTarget(seed: string, index: number, range: readonly [number, number], atLeastKg = 0): number {
  const [low, high] = targetBounds(range);
  const from = Math.min(high, Math.max(low, atLeastKg));
  return round2(new Rng(seed, index, 'harvest-target').uniform(from, high));
}

/** What the harvest window needs of a planned batch. */
export function harvestInput(spec: Preset, seed: BatchSeed, harvestTargetKg: number): HarvestInput {
  return {
    geography: seed.geography.name,
    startDay: dayNumber(seed.startDate),
    stageDays: spec.stageDays,
    adultMaxDays: spec.adultMaxDays,
    harvestTargetKg,
    rings: spec.seaRings,
  };
}

/** The lowest target (kg) that keeps a ladder batch in the water on asOf, even growing fast. */
export function ladderTargetKg(spec: Preset, seed: BatchSeed): number {
  const age = seed.ladderAge as number;
  if (age <= seaTransferDay(spec.stageDays)) return 0;
  const [low, high] = targetBounds(spec.harvestTargetKg);
  const inWater = (kg: number) => lastHarvestDay(harvestInput(spec, seed, kg), 'best') > age;
  if (inWater(low)) return 0;
  if (!inWater(high)) {
    throw new AquaseedError(
      'AQUASEED_INVALID_SCHEDULE',
      `preset ${spec.name}: ladder age ${age} on ${spec.asOf}: batch ${seed.batchNumber} would be harvested before then even at the highest harvest target (${round2(high)} kg)`,
      `use ladder ages up to about ${lastHarvestDay(harvestInput(spec, seed, high), 'best') - 1} days, a higher harvestTargetKg maximum (at most 7), or a longer adultMaxDays`,
    );
  }
  let [lo, hi] = [low, high];
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (inWater(mid)) hi = mid;
    else lo = mid;
  }
  return Math.ceil(hi * 100) / 100 + 0.01;
}
