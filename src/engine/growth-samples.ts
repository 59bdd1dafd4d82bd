/**
 * `batch_growthsample` and `batch_individualgrowthobservation`: every 7th batch day from Fry on,
 * 30 fish per active assignment. Weights scatter around the batch weight with the stage's CV;
 * lengths follow from weight and a per-fish condition factor (fish-measurements.ts).
 */
import type { Assignment } from './assignments.js';
import type { BatchContext } from './context.js';
import { clamp, FishMeasurer } from './fish-measurements.js';
import { round2 } from '../core/numbers.js';
import type { Rng } from '../core/rng.js';
import type { BatchState, DayStep, SimDay } from './state.js';
import { GROWTH_SAMPLE_EVERY_DAYS, GROWTH_SAMPLE_SIZE, WEIGHT_CV } from '../core/tuning.js';

const SAMPLE_TIME = '11:00';
/** Sampled weights stay within these multiples of the mean (a grader removes the extremes). */
const WEIGHT_RANGE = { min: 0.5, max: 1.6 } as const;
const FISH_IDS = Array.from({ length: GROWTH_SAMPLE_SIZE }, (_, i) => String(i + 1));

export class GrowthSampleStep implements DayStep {
  private readonly measurer = new FishMeasurer(GROWTH_SAMPLE_SIZE);

  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly rng: Rng,
  ) {}

  runDay(day: SimDay): void {
    if (this.state.stage.order === 1 || day.clock.d % GROWTH_SAMPLE_EVERY_DAYS !== 0 || !day.clock.happened(SAMPLE_TIME)) return;
    const at = day.clock.stamp(SAMPLE_TIME);
    for (const assignment of this.state.active) {
      if (assignment.population > 0) this.sample(assignment, day.clock.date, at);
    }
  }

  private sample(assignment: Assignment, date: string, at: string): void {
    const { ctx, state, rng } = this;
    const order = state.stage.order;
    const cv = WEIGHT_CV[order];
    const meanW = state.weightG;
    const fish = this.measurer.measure(rng, GROWTH_SAMPLE_SIZE, order, () =>
      Math.max(0.01, round2(meanW * clamp(1 + cv * rng.normal(), WEIGHT_RANGE.min, WEIGHT_RANGE.max))),
    );
    const { n, weights, lengths } = fish;
    const sampleId = ctx.ids.next('batch_growthsample');
    ctx.sink.emit('batch_growthsample', {
      id: sampleId,
      sample_date: date,
      sample_size: n,
      avg_weight_g: round2(fish.meanWeight),
      avg_length_cm: round2(fish.meanLength),
      std_deviation_weight: round2(fish.sdWeight),
      std_deviation_length: round2(fish.sdLength),
      min_weight_g: fish.minWeight,
      max_weight_g: fish.maxWeight,
      condition_factor: round2(fish.meanK),
      notes: `Weekly growth sample ${state.stage.name}`,
      created_at: at,
      updated_at: at,
      assignment_id: assignment.id,
    });
    for (let i = 0; i < n; i++) {
      ctx.sink.emit('batch_individualgrowthobservation', {
        id: ctx.ids.next('batch_individualgrowthobservation'),
        fish_identifier: FISH_IDS[i]!,
        weight_g: weights[i]!,
        length_cm: lengths[i]!,
        created_at: at,
        updated_at: at,
        growth_sample_id: sampleId,
      });
    }
    assignment.lastWeighingDate = date;
    assignment.sampleMeanTodayG = fish.meanWeight;
  }
}
