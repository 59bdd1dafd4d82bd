/**
 * AquaMind's six life stages (batch_lifecyclestage): names, weight ranges and typical durations.
 * The one home of these facts: the farm writes them, the planner and the engine read them.
 */
import type { Stage } from './model.js';

export interface StageSpec {
  order: Stage['order'];
  name: Stage['name'];
  expectedWeightMinG: number;
  expectedWeightMaxG: number;
  /** Migration batch/0029's back-fill: 90 days per stage, 400 for Adult (the engine itself allows 450). */
  typicalDurationDays: number;
  description: string;
}

export const STAGES: readonly StageSpec[] = [
  { order: 1, name: 'Egg&Alevin', expectedWeightMinG: 0.05, expectedWeightMaxG: 0.5, typicalDurationDays: 90, description: 'Incubation of eggs and yolk-sac alevins; no external feeding' },
  { order: 2, name: 'Fry', expectedWeightMinG: 0.5, expectedWeightMaxG: 6, typicalDurationDays: 90, description: 'First feeding in small freshwater tanks' },
  { order: 3, name: 'Parr', expectedWeightMinG: 6, expectedWeightMaxG: 60, typicalDurationDays: 90, description: 'Freshwater growth with parr marks' },
  { order: 4, name: 'Smolt', expectedWeightMinG: 60, expectedWeightMaxG: 180, typicalDurationDays: 90, description: 'Smoltification: adapting to seawater' },
  { order: 5, name: 'Post-Smolt', expectedWeightMinG: 180, expectedWeightMaxG: 500, typicalDurationDays: 90, description: 'Early growth before and after sea transfer' },
  { order: 6, name: 'Adult', expectedWeightMinG: 500, expectedWeightMaxG: 7000, typicalDurationDays: 400, description: 'Sea grow-out to harvest weight' },
];

/** Stage names by order: STAGE_NAMES[0] is Egg&Alevin, STAGE_NAMES[5] Adult. */
export const STAGE_NAMES: readonly Stage['name'][] = STAGES.map((stage) => stage.name);

/** Upper weight (g) of each stage by order (index 0 unused): the engine caps growth there. */
export const STAGE_CAP_G: readonly number[] = [0, ...STAGES.map((stage) => stage.expectedWeightMaxG)];
