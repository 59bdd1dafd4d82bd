/**
 * `health_healthsamplingevent`, `health_individualfishobservation` and `health_fishparameterscore`:
 * every 30th batch day once the fish are Post-Smolt, a veterinary sample of 75 fish from one
 * randomly chosen active container (AquaMind §3.9). Each fish is weighed and measured, and scored
 * 0-3 on every active health parameter. Lengths come from weight and a per-fish condition factor
 * (fish-measurements.ts).
 */
import type { Assignment } from './assignments.js';
import type { BatchContext } from './context.js';
import { clamp, FishMeasurer } from './fish-measurements.js';
import { round2, round4 } from '../core/numbers.js';
import type { Rng } from '../core/rng.js';
import type { BatchState, DayStep, SimDay } from './state.js';
import { HEALTH_SAMPLING } from '../core/tuning.js';

const SAMPLING_TIME = '13:00';
const FISH_IDS = Array.from({ length: HEALTH_SAMPLING.fish }, (_, i) => `F${String(i + 1).padStart(3, '0')}`);
const SCORE_WEIGHTS = [...HEALTH_SAMPLING.scoreWeights];

export class HealthSamplingStep implements DayStep {
  private readonly measurer = new FishMeasurer(HEALTH_SAMPLING.fish);

  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly rng: Rng,
  ) {}

  runDay(day: SimDay): void {
    const { state, rng } = this;
    if (state.stage.order < HEALTH_SAMPLING.fromStageOrder || day.clock.d % HEALTH_SAMPLING.everyDays !== 0 || !day.clock.happened(SAMPLING_TIME)) return;
    const candidates = state.active.filter((a) => a.population > 0);
    if (candidates.length === 0) return;
    const assignment = rng.pick(candidates);
    this.sample(assignment, day, { time: SAMPLING_TIME, notes: `Monthly health assessment - ${state.stage.name} stage`, scoreWeights: SCORE_WEIGHTS });
  }

  /** Samples 75 fish of `assignment` today: the event, the fish and their scores. Returns the mean score. */
  sample(assignment: Assignment, day: SimDay, options: { time: string; notes: string; scoreWeights: readonly number[] }): number {
    const { ctx, state, rng } = this;
    const meanW = state.weightG;
    const { weightCv, weightRange } = HEALTH_SAMPLING;
    const fish = this.measurer.measure(rng, HEALTH_SAMPLING.fish, state.stage.order, () =>
      round2(clamp(rng.normal(meanW, weightCv * meanW), weightRange.min * meanW, weightRange.max * meanW)),
    );
    const { n, weights, lengths } = fish;
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
      avg_k_factor: round4(fish.meanK),
      avg_length_cm: round2(fish.meanLength),
      avg_weight_g: round2(fish.meanWeight),
      calculated_sample_size: n,
      max_length_cm: fish.maxLength,
      max_weight_g: fish.maxWeight,
      min_length_cm: fish.minLength,
      min_weight_g: fish.minWeight,
      std_dev_length_cm: round2(fish.sdLength),
      std_dev_weight_g: round2(fish.sdWeight),
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
