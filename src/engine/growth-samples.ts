/**
 * `batch_growthsample` and `batch_individualgrowthobservation`: every 7th batch day from Fry on,
 * 30 fish per active assignment. Weights scatter around the batch weight with the stage's CV;
 * lengths follow from weight and a per-fish condition factor, so K = 100·W/L³ stays in the range
 * real salmon show (AquaMind's length formula gave lengths unrelated to K). The sample's aggregates
 * are computed from the observations as written (rounded).
 */
import type { Assignment } from './assignments.js';
import type { BatchContext } from './context.js';
import { round2 } from './numbers.js';
import type { Rng } from './rng.js';
import type { BatchState, DayStep, SimDay } from './state.js';
import {
  CONDITION_FACTOR,
  CONDITION_FACTOR_RANGE,
  CONDITION_FACTOR_SD,
  GROWTH_SAMPLE_EVERY_DAYS,
  GROWTH_SAMPLE_SIZE,
  WEIGHT_CV,
} from './tuning.js';

const SAMPLE_TIME = '11:00';
/** Sampled weights stay within these multiples of the mean (a grader removes the extremes). */
const WEIGHT_RANGE = { min: 0.5, max: 1.6 } as const;
const FISH_IDS = Array.from({ length: GROWTH_SAMPLE_SIZE }, (_, i) => String(i + 1));

export class GrowthSampleStep implements DayStep {
  private readonly weights = new Float64Array(GROWTH_SAMPLE_SIZE);
  private readonly lengths = new Float64Array(GROWTH_SAMPLE_SIZE);

  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly rng: Rng,
  ) {}

  runDay(day: SimDay): void {
    if (this.state.stage.order === 1 || day.clock.d % GROWTH_SAMPLE_EVERY_DAYS !== 0) return;
    const at = day.clock.stamp(SAMPLE_TIME);
    for (const assignment of this.state.active) {
      if (assignment.population > 0) this.sample(assignment, day.clock.date, at);
    }
  }

  private sample(assignment: Assignment, date: string, at: string): void {
    const { ctx, state, rng, weights, lengths } = this;
    const order = state.stage.order;
    const cv = WEIGHT_CV[order];
    const kMean = CONDITION_FACTOR[order];
    let sumW = 0;
    let sumW2 = 0;
    let sumL = 0;
    let sumL2 = 0;
    let sumK = 0;
    let minW = Infinity;
    let maxW = 0;
    for (let i = 0; i < GROWTH_SAMPLE_SIZE; i++) {
      const factor = clamp(1 + cv * rng.normal(), WEIGHT_RANGE.min, WEIGHT_RANGE.max);
      const w = Math.max(0.01, round2(state.weightG * factor));
      const k = clamp(rng.normal(kMean, CONDITION_FACTOR_SD), CONDITION_FACTOR_RANGE.min, CONDITION_FACTOR_RANGE.max);
      const l = round2(Math.cbrt((100 * w) / k));
      weights[i] = w;
      lengths[i] = l;
      sumW += w;
      sumW2 += w * w;
      sumL += l;
      sumL2 += l * l;
      sumK += (100 * w) / (l * l * l);
      if (w < minW) minW = w;
      if (w > maxW) maxW = w;
    }
    const n = GROWTH_SAMPLE_SIZE;
    const sampleId = ctx.ids.next('batch_growthsample');
    ctx.sink.emit('batch_growthsample', {
      id: sampleId,
      sample_date: date,
      sample_size: n,
      avg_weight_g: round2(sumW / n),
      avg_length_cm: round2(sumL / n),
      std_deviation_weight: round2(sampleSd(sumW, sumW2, n)),
      std_deviation_length: round2(sampleSd(sumL, sumL2, n)),
      min_weight_g: minW,
      max_weight_g: maxW,
      condition_factor: round2(sumK / n),
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
    assignment.sampleMeanTodayG = sumW / n;
  }
}

function clamp(x: number, min: number, max: number): number {
  return x < min ? min : x > max ? max : x;
}

/** Sample standard deviation (n − 1) from running sums. */
function sampleSd(sum: number, sumSquares: number, n: number): number {
  const variance = (sumSquares - (sum * sum) / n) / (n - 1);
  return variance > 0 ? Math.sqrt(variance) : 0;
}
