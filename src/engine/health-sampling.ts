/**
 * `health_healthsamplingevent`, `health_individualfishobservation` and `health_fishparameterscore`:
 * every 30th batch day once the fish are Post-Smolt, a veterinary sample of 75 fish from one
 * randomly chosen active container (AquaMind §3.9). Each fish is weighed and measured, and scored
 * 0-3 on every active health parameter. Lengths come from weight and a per-fish condition factor,
 * so K = 100·W/L³ stays around the stage's mean (AquaMind's length formula gave K ≈ 0.03). The
 * event's aggregates are computed from the observations as written (rounded).
 */
import type { Assignment } from './assignments.js';
import type { BatchContext } from './context.js';
import { round2, round4 } from './numbers.js';
import type { Rng } from './rng.js';
import type { BatchState, DayStep, SimDay } from './state.js';
import { CONDITION_FACTOR, CONDITION_FACTOR_RANGE, CONDITION_FACTOR_SD, HEALTH_SAMPLING } from './tuning.js';

const SAMPLING_TIME = '13:00';
const FISH_IDS = Array.from({ length: HEALTH_SAMPLING.fish }, (_, i) => `F${String(i + 1).padStart(3, '0')}`);
const SCORE_WEIGHTS = [...HEALTH_SAMPLING.scoreWeights];

export class HealthSamplingStep implements DayStep {
  private readonly weights = new Float64Array(HEALTH_SAMPLING.fish);
  private readonly lengths = new Float64Array(HEALTH_SAMPLING.fish);

  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly rng: Rng,
  ) {}

  runDay(day: SimDay): void {
    const { state, rng } = this;
    if (state.stage.order < HEALTH_SAMPLING.fromStageOrder || day.clock.d % HEALTH_SAMPLING.everyDays !== 0) return;
    const candidates = state.active.filter((a) => a.population > 0);
    if (candidates.length === 0) return;
    const assignment = rng.pick(candidates);
    this.sample(assignment, day, { time: SAMPLING_TIME, notes: `Monthly health assessment - ${state.stage.name} stage`, scoreWeights: SCORE_WEIGHTS });
  }

  /** Samples 75 fish of `assignment` today: the event, the fish and their scores. Returns the mean score. */
  sample(assignment: Assignment, day: SimDay, options: { time: string; notes: string; scoreWeights: readonly number[] }): number {
    const { ctx, state, rng, weights, lengths } = this;
    const order = state.stage.order;
    const meanW = state.weightG;
    const n = HEALTH_SAMPLING.fish;
    let sumW = 0;
    let sumW2 = 0;
    let sumL = 0;
    let sumL2 = 0;
    let sumK = 0;
    let minW = Infinity;
    let maxW = 0;
    let minL = Infinity;
    let maxL = 0;
    for (let i = 0; i < n; i++) {
      const w = round2(clamp(rng.normal(meanW, HEALTH_SAMPLING.weightCv * meanW), HEALTH_SAMPLING.weightRange.min * meanW, HEALTH_SAMPLING.weightRange.max * meanW));
      const k = clamp(rng.normal(CONDITION_FACTOR[order], CONDITION_FACTOR_SD), CONDITION_FACTOR_RANGE.min, CONDITION_FACTOR_RANGE.max);
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
      if (l < minL) minL = l;
      if (l > maxL) maxL = l;
    }
    const at = day.clock.stamp(options.time);
    const eventId = ctx.ids.next('health_healthsamplingevent');
    ctx.sink.emit('health_healthsamplingevent', {
      id: eventId,
      sampling_date: day.clock.date,
      number_of_fish_sampled: n,
      notes: options.notes,
      created_at: at,
      updated_at: at,
      assignment_id: assignment.id,
      sampled_by_id: ctx.userId,
      avg_k_factor: round4(sumK / n),
      avg_length_cm: round2(sumL / n),
      avg_weight_g: round2(sumW / n),
      calculated_sample_size: n,
      max_length_cm: maxL,
      max_weight_g: maxW,
      min_length_cm: minL,
      min_weight_g: minW,
      std_dev_length_cm: round2(sampleSd(sumL, sumL2, n)),
      std_dev_weight_g: round2(sampleSd(sumW, sumW2, n)),
    });
    const parameterIds = ctx.farm.healthParameterIds;
    let scores = 0;
    for (let i = 0; i < n; i++) {
      const observationId = ctx.ids.next('health_individualfishobservation');
      ctx.sink.emit('health_individualfishobservation', {
        id: observationId,
        fish_identifier: FISH_IDS[i]!,
        length_cm: lengths[i]!,
        weight_g: weights[i]!,
        created_at: at,
        updated_at: at,
        sampling_event_id: eventId,
      });
      for (let p = 0; p < parameterIds.length; p++) {
        const score = rng.weighted(options.scoreWeights);
        scores += score;
        ctx.sink.emit('health_fishparameterscore', {
          id: ctx.ids.next('health_fishparameterscore'),
          score,
          created_at: at,
          updated_at: at,
          individual_fish_observation_id: observationId,
          parameter_id: parameterIds[p]!,
        });
      }
    }
    return scores / Math.max(1, n * parameterIds.length);
  }
}

function clamp(x: number, min: number, max: number): number {
  return x < min ? min : x > max ? max : x;
}

function sampleSd(sum: number, sumSquares: number, n: number): number {
  const variance = (sumSquares - (sum * sum) / n) / (n - 1);
  return variance > 0 ? Math.sqrt(variance) : 0;
}
