/**
 * When a batch leaves its sea rings: the planner's weight-aware bound on the Adult phase.
 *
 * The engine harvests a batch once its average weight reaches the plan's harvest target (drawn
 * from the seeded RNG at planning, `harvestTargetKg`), a well boat emptying HARVEST_RINGS_PER_DAY
 * rings a day, and at the latest on the last day of the Adult limit. Growth is the cube-root TGC
 * model: ∛W grows by TGC·T a day, so the weight on a day depends only on the temperatures summed
 * up to it. The planner replays the engine's own growth (same TGCs, stage caps, hatchery
 * setpoints and seasonal sea curve, from core/, which the engine reads too) on deterministic temperature
 * scenarios instead of the random daily anomalies:
 *
 * - `worst`: every day colder than the engine's mean by a margin (0.05 °C in the hatchery, 0.3 °C at
 *   sea), and the campaign starting only once the weight itself has reached the target. The
 *   engine's daily anomalies are AR(1) processes; what they add up to over an Adult phase of ~330
 *   days has a standard deviation of about 22 °C·days (1.2·√n), i.e. ±2.2 days of harvest, against
 *   a margin of about 13 days (measured over 266 batches: the real last harvest came 9-25 days,
 *   17 on average, before this bound). The rings are booked until this bound, so they are free
 *   again soon after the batch really leaves them, not at the Adult limit (AquaMind booked them to
 *   day 900; its "weight-aware" estimate mixed kilograms into a gram formula).
 * - `expected`: the mean temperatures, with the engine's own campaign rule; planning statistics
 *   and the `auto` batch count use it.
 * - `best`: warmer by the same margins; the earliest day a campaign can start. The `uat` ladder
 *   uses it to keep its oldest Adult batches in the water on `asOf`.
 */
import type { GeographyName } from '../core/layout.js';
import { STAGE_CAP_G, seaTransferDay, stageOrderOn } from '../core/stages.js';
import { tgcStep } from '../core/growth.js';
import { expectedTemperature } from '../core/temperature.js';
import { EGG_WEIGHT_G, HARVEST_RINGS_PER_DAY, STAGE_TGC } from '../core/tuning.js';

export type GrowthCase = 'worst' | 'expected' | 'best';

/** Temperature offsets (°C) of each case from the engine's mean, in the hatchery and at sea. */
export const CASE_OFFSET_C: Readonly<Record<GrowthCase, { freshwater: number; sea: number }>> = {
  worst: { freshwater: -0.05, sea: -0.3 },
  expected: { freshwater: 0, sea: 0 },
  best: { freshwater: 0.05, sea: 0.3 },
};

export interface HarvestInput {
  geography: GeographyName;
  /** Day number (days since 1970-01-01) of the batch's start date. */
  startDay: number;
  stageDays: number;
  adultMaxDays: number;
  harvestTargetKg: number;
  /** Rings the batch is harvested from. */
  rings: number;
}

/** Days a harvest campaign over `rings` rings takes. */
export function campaignDays(rings: number): number {
  return Math.ceil(rings / HARVEST_RINGS_PER_DAY);
}

/**
 * Batch-relative day the last ring is harvested (its assignment closes that day, so the ring is
 * free for the next batch from that day on), for a batch that stays in the water that long.
 * Never later than the Adult limit: the engine forces the campaign to end on day
 * 5·stageDays + adultMaxDays.
 */
export function lastHarvestDay(input: HarvestInput, growthCase: GrowthCase): number {
  const seaDay = seaTransferDay(input.stageDays);
  const limitDay = seaDay + input.adultMaxDays;
  const days = campaignDays(input.rings);
  const offset = CASE_OFFSET_C[growthCase];
  const targetG = input.harvestTargetKg * 1000;
  let weightG = EGG_WEIGHT_G;
  for (let d = 0; ; d++) {
    const order = stageOrderOn(d, input.stageDays);
    const atSea = order === 6;
    const temperatureC = expectedTemperature(input.geography, order, atSea, input.startDay + d) + (atSea ? offset.sea : offset.freshwater);
    if (order === 6 && d > seaDay) {
      // The engine's campaign rule, judged on the weight at the start of the day.
      if (d - seaDay >= input.adultMaxDays - days + 1) return d + days - 1;
      if (campaignDue(growthCase, weightG, temperatureC, targetG, input.rings)) return Math.min(limitDay, d + days - 1);
    }
    const tgc = STAGE_TGC[order];
    if (tgc > 0) {
      const grown = Math.min(STAGE_CAP_G[order] as number, tgcStep(weightG, tgc, temperatureC));
      if (grown > weightG) weightG = grown;
    }
    if (d > limitDay) return limitDay; // unreachable: the limit above always fires first
  }
}

/**
 * Whether the campaign starts today. The engine starts when the projected campaign average of
 * starting today and of starting tomorrow straddle the target (both projected at today's
 * temperature, rings of equal population assumed here):
 * - worst: no later than the first day the weight itself has reached the target (both projections
 *   are at least the current weight), so that day bounds the real start from above;
 * - best: no earlier than the first day starting tomorrow would reach it (today's projection
 *   never exceeds tomorrow's), which bounds the real start from below;
 * - expected: the engine's rule itself.
 */
function campaignDue(growthCase: GrowthCase, weightG: number, temperatureC: number, targetG: number, rings: number): boolean {
  switch (growthCase) {
    case 'worst':
      return weightG >= targetG;
    case 'best':
      return projectedMeanG(weightG, 1, temperatureC, rings) >= targetG;
    case 'expected':
      return projectedMeanG(weightG, 0, temperatureC, rings) + projectedMeanG(weightG, 1, temperatureC, rings) >= 2 * targetG;
  }
}

function projectedMeanG(weightG: number, delay: number, temperatureC: number, rings: number): number {
  let w = weightG;
  for (let day = 0; day < delay; day++) w = tgcStep(w, STAGE_TGC[6], temperatureC);
  let grams = 0;
  for (let i = 0; i < rings; i++) {
    if (i > 0 && i % HARVEST_RINGS_PER_DAY === 0) w = tgcStep(w, STAGE_TGC[6], temperatureC);
    grams += w;
  }
  return grams / rings;
}
