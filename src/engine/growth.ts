/** The daily growth step: the batch's weight follows the TGC model (core/growth.ts), capped at its stage's upper weight. */
import { tgcStep } from '../core/growth.js';
import { STAGE_TGC } from '../core/tuning.js';
import type { BatchState, DayStep, SimDay } from './state.js';

export class GrowthStep implements DayStep {
  constructor(private readonly state: BatchState) {}

  runDay(day: SimDay): void {
    const { state } = this;
    const tgc = STAGE_TGC[state.stage.order];
    if (tgc === 0) return;
    const grown = Math.min(state.stage.expectedWeightMaxG, tgcStep(state.weightG, tgc, day.temperatureC));
    // A cap never shrinks a fish that arrived heavier than the stage's range.
    if (grown > state.weightG) state.weightG = grown;
  }
}
