/**
 * The mutable state of one batch while it is simulated, and the contract of a daily step: the
 * day loop in batch.ts runs its steps in AquaMind's daily order, so a later feature (lice, health,
 * treatments, daily states, finance) is one more step in that list.
 */
import type { Stage } from '../core/model.js';
import type { Assignment } from './assignments.js';
import type { DayClock } from './clock.js';
import { EGG_WEIGHT_G } from '../core/tuning.js';

export class BatchState {
  /** The batch's current stage. */
  stage: Stage;
  /** Average weight (g) of the batch's fish; all containers share it, as in AquaMind. */
  weightG = EGG_WEIGHT_G;
  /** Assignments holding fish now, in container (plan) order. */
  active: Assignment[] = [];
  feedKg = 0;
  /** FIFO cost of all feed fed so far. */
  feedCost = 0;
  /** What the farming company paid the freshwater company for the smolts, and feed cost until then. */
  smoltValue = 0;
  feedCostAtSeaTransfer = 0;
  harvestedFish = 0;
  harvestedKg = 0;
  /** Batch day of the last bath lice treatment (the lice counts fall after it), or null. */
  lastLiceTreatmentDay: number | null = null;

  constructor(stage: Stage) {
    this.stage = stage;
  }

  population(): number {
    let n = 0;
    for (const a of this.active) n += a.population;
    return n;
  }
}

/** What every step sees of the day being simulated. */
export interface SimDay {
  readonly clock: DayClock;
  /** The day's mean water temperature (°C): readings are generated around it and growth uses it. */
  readonly temperatureC: number;
  /** Whether the batch's containers are sea rings today. */
  readonly atSea: boolean;
}

/** One job of the daily routine, run for every simulated day with fish in the water. */
export interface DayStep {
  runDay(day: SimDay): void;
}
