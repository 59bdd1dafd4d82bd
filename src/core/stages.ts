/**
 * AquaMind's six life stages (batch_lifecyclestage): names, weight ranges and typical durations,
 * and the rule that puts a batch in a stage on a given day. The one home of these facts: the farm
 * writes them, the planner, the engine and the reports read them.
 */

export interface StageSpec {
  order: 1 | 2 | 3 | 4 | 5 | 6;
  name: string;
  expectedWeightMinG: number;
  expectedWeightMaxG: number;
  /** Migration batch/0029's back-fill: 90 days per stage, 400 for Adult (the engine itself allows 450). */
  typicalDurationDays: number;
  description: string;
}

export const STAGES = [
  { order: 1, name: 'Egg&Alevin', expectedWeightMinG: 0.05, expectedWeightMaxG: 0.5, typicalDurationDays: 90, description: 'Incubation of eggs and yolk-sac alevins; no external feeding' },
  { order: 2, name: 'Fry', expectedWeightMinG: 0.5, expectedWeightMaxG: 6, typicalDurationDays: 90, description: 'First feeding in small freshwater tanks' },
  { order: 3, name: 'Parr', expectedWeightMinG: 6, expectedWeightMaxG: 60, typicalDurationDays: 90, description: 'Freshwater growth with parr marks' },
  { order: 4, name: 'Smolt', expectedWeightMinG: 60, expectedWeightMaxG: 180, typicalDurationDays: 90, description: 'Smoltification: adapting to seawater' },
  { order: 5, name: 'Post-Smolt', expectedWeightMinG: 180, expectedWeightMaxG: 500, typicalDurationDays: 90, description: 'Early growth before and after sea transfer' },
  { order: 6, name: 'Adult', expectedWeightMinG: 500, expectedWeightMaxG: 7000, typicalDurationDays: 400, description: 'Sea grow-out to harvest weight' },
] as const satisfies readonly StageSpec[];

/** Stage order 1..6: Egg&Alevin, Fry, Parr, Smolt, Post-Smolt, Adult. */
export type StageOrder = (typeof STAGES)[number]['order'];
export type StageName = (typeof STAGES)[number]['name'];

/** Stage names by order: STAGE_NAMES[0] is Egg&Alevin, STAGE_NAMES[5] Adult. */
export const STAGE_NAMES: readonly StageName[] = STAGES.map((stage) => stage.name);

/** Upper weight (g) of each stage by order (index 0 unused): the engine caps growth there. */
export const STAGE_CAP_G: readonly number[] = [0, ...STAGES.map((stage) => stage.expectedWeightMaxG)];

/** Stages spent ashore (Egg&Alevin … Post-Smolt), one hall each; Adult is at sea. */
export const FRESHWATER_STAGE_COUNT = 5;

/** Batch day the stage of this order starts: every stage before Adult lasts `stageDays`. */
export function stageStartDay(order: StageOrder, stageDays: number): number {
  return (order - 1) * stageDays;
}

/** Batch day of the sea transfer: the first Adult day, after the freshwater stages of `stageDays` each. */
export function seaTransferDay(stageDays: number): number {
  return FRESHWATER_STAGE_COUNT * stageDays;
}

/** The stage on batch day `d`, as the engine sets it: time-based, Adult from the sea transfer on. */
export function stageOrderOn(d: number, stageDays: number): StageOrder {
  return Math.min(6, Math.floor(d / stageDays) + 1) as StageOrder;
}
