/**
 * The daily growth step: the batch's weight follows the TGC model (core/growth.ts), capped at its
 * stage's upper weight. The day's growth is in at its end (DAY_END_TIME), when AquaMind saved every
 * assignment's new weight.
 */
import { DAY_END_TIME } from './clock.js';
import { tgcStep } from '../core/growth.js';
import { STAGE_TGC } from '../core/tuning.js';
import type { BatchState, DayStep, SimDay } from './state.js';

export class GrowthStep implements DayStep {
  constructor(private readonly state: BatchState) {}

  runDay(day: SimDay): void {
    const { state } = this;
    if (!day.clock.happened(DAY_END_TIME)) return;
    const tgc = STAGE_TGC[state.stage.order];
    if (tgc === 0) return;
    const at = day.clock.stamp(DAY_END_TIME);
    for (const a of state.active) a.savedAt = at;
    const grown = Math.min(state.stage.expectedWeightMaxG, tgcStep(state.weightG, tgc, day.temperatureC));
    // A cap never shrinks a fish that arrived heavier than the stage's range.
    if (grown > state.weightG) state.weightG = grown;
  }
}
