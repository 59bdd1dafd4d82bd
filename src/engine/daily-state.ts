/**
 * `batch_actualdailyassignmentstate`: AquaMind's growth analysis, one row per assignment per day
 * it holds fish (assignment_date ≤ date < departure_date), computed in the engine's own pass from
 * the day's tallies instead of re-reading the database afterwards (AquaMind's
 * `run_growth_analysis_optimized.py`).
 *
 * - population: the fish in the container at the end of the day. A destination starts with the
 *   fish it received, never with them twice (Issue #112: AquaMind added pre-populated destinations
 *   and the transfers' counts, showing 5.98 M fish on day 91 of a 3 M-egg batch).
 * - weight: the batch weight after the day's growth (`tgc_computed`), or on growth-sample days the
 *   sample's mean (`measured`, anchor_type `growth_sample`), as growth analysis anchors on samples;
 *   `unchanged` in Egg&Alevin, which does not grow.
 * - temperature: the day's mean water temperature the readings are generated around (`measured`).
 * - mortality and feed: the assignment's deaths and meals that day (`actual`; feed `none` before
 *   first feeding).
 * - observed_fcr: the day's feed ÷ the day's gain of the assignment's modelled biomass (fish ×
 *   batch weight), when fed and the gain is above 1 kg, capped at 10 (growth analysis's rule).
 *   The modelled biomass, not the anchored one, so a sample's scatter does not make the FCR jump.
 */
import type { Assignment } from './assignments.js';
import { DAY_END_TIME } from './clock.js';
import type { BatchContext } from './context.js';
import { round2, round3 } from '../core/numbers.js';
import type { BatchState, DayStep, SimDay } from './state.js';

/** Growth analysis computes the day's states when the day is over. */
const COMPUTED_TIME = DAY_END_TIME;
const MAX_FCR = 10;
const MIN_GAIN_KG = 1;

type WeightSource = 'measured' | 'tgc_computed' | 'unchanged';

interface Provenance {
  readonly sources: Readonly<Record<string, string>>;
  readonly confidence: Readonly<Record<string, number>>;
}

const WEIGHT_SOURCES: readonly WeightSource[] = ['measured', 'tgc_computed', 'unchanged'];

/** The twelve distinct sources/confidence objects, built once and shared by every row. */
const PROVENANCE: readonly Provenance[] = WEIGHT_SOURCES.flatMap((weight) =>
  [false, true].flatMap((fed) =>
    [false, true].map((fcr) => ({
      sources: { weight, temp: 'measured', mortality: 'actual', feed: fed ? 'actual' : 'none', fcr: fcr ? 'observed' : 'insufficient_data' },
      confidence: { weight: weight === 'measured' ? 1 : 0.8, temp: 1, mortality: 1, feed: 1, fcr: fcr ? 1 : 0 },
    })),
  ),
);

function provenance(weight: 0 | 1 | 2, fed: boolean, fcr: boolean): Provenance {
  return PROVENANCE[weight * 4 + (fed ? 2 : 0) + (fcr ? 1 : 0)]!;
}

export class DailyStateStep implements DayStep {
  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
  ) {}

  runDay(day: SimDay): void {
    const { state } = this;
    if (!day.clock.happened(COMPUTED_TIME)) return;
    const computedAt = day.clock.stamp(COMPUTED_TIME);
    const temperature = round2(day.temperatureC);
    const grows = state.stage.order > 1;
    for (const assignment of state.active) this.emit(assignment, day, computedAt, temperature, grows);
  }

  private emit(a: Assignment, day: SimDay, computedAt: string, temperature: number, grows: boolean): void {
    const { ctx, state } = this;
    const sampled = !Number.isNaN(a.sampleMeanTodayG);
    const weightG = sampled ? a.sampleMeanTodayG : state.weightG;
    const modelledKg = (a.population * state.weightG) / 1000;
    const gainKg = modelledKg - a.previousBiomassKg;
    a.previousBiomassKg = modelledKg;
    const fed = a.feedTodayKg > 0;
    const fcr = fed && gainKg > MIN_GAIN_KG ? round3(Math.min(MAX_FCR, a.feedTodayKg / gainKg)) : null;
    const p = provenance(sampled ? 0 : grows ? 1 : 2, fed, fcr !== null);
    ctx.sink.emit('batch_actualdailyassignmentstate', {
      id: ctx.ids.next('batch_actualdailyassignmentstate'),
      date: day.clock.date,
      day_number: day.clock.d + 1,
      avg_weight_g: round2(weightG),
      population: a.population,
      biomass_kg: round2((a.population * weightG) / 1000),
      temp_c: temperature,
      mortality_count: a.deathsToday,
      feed_kg: round2(a.feedTodayKg),
      observed_fcr: fcr,
      anchor_type: sampled ? 'growth_sample' : null,
      sources: p.sources,
      confidence_scores: p.confidence,
      last_computed_at: computedAt,
      assignment_id: a.id,
      batch_id: ctx.batchId,
      container_id: a.container.id,
      lifecycle_stage_id: a.stage.id,
      planned_activity_id: null,
    });
  }
}
