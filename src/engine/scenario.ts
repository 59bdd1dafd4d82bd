/**
 * `scenario`, `scenario_projection_run` and `scenario_scenarioprojection`: the baseline projection
 * AquaMind's engine made right after egg placement (§3.11), "Baseline Projection - <batch>", 900
 * daily rows from the eggs with the farm's scenario models:
 *
 * - growth: cube-root TGC with the geography's TGC model value (0.00245 Faroe, 0.00235 Scotland),
 *   none in Egg&Alevin, capped at each stage's upper weight;
 * - stages: by the FCR model's durations (90 days each, then Adult);
 * - temperature: AquaMind's assumed 12 °C in freshwater; in Adult the geography's 450-day sea
 *   profile, repeated (scenario_temperaturereading, `farm.scenarioModels.temperaturesByGeography`);
 * - mortality: the mortality model's 0.03 % a day; feed: growth × the stage's FCR.
 *
 * The final weight lands at 5.9-6.4 kg (AquaMind's check wants 5-7.5 kg). The run is the one
 * AquaMind's live-projection script pinned on ACTIVE batches; batch-row.ts pins it there.
 */
import type { DayClock } from './clock.js';
import type { BatchContext } from './context.js';
import { round2, round3, round4 } from '../core/numbers.js';
import { isoDate } from '../core/time.js';
import { SCENARIO } from '../core/tuning.js';

/** Right after the eggs are placed (08:00). */
export const SCENARIO_TIME = '08:30';

export interface BaselineScenario {
  scenarioId: number;
  runId: number;
  finalWeightG: number;
  /** When it was made. */
  createdAt: string;
}

export function createBaselineScenario(ctx: BatchContext, clock: DayClock): BaselineScenario {
  const { farm, plan, geography } = ctx;
  const models = farm.scenarioModels;
  const tgc = models.tgcValueByGeography.get(geography.id);
  const seaTemperatures = models.temperaturesByGeography.get(geography.id);
  const tgcModelId = models.tgcModelIdByGeography.get(geography.id);
  const profileId = models.temperatureProfileIdByGeography.get(geography.id);
  if (tgc === undefined || !seaTemperatures?.length || tgcModelId === undefined || profileId === undefined) {
    throw new Error(`the farm has no scenario models for ${geography.name}`);
  }
  const at = clock.stamp(SCENARIO_TIME);
  const scenarioId = ctx.ids.next('scenario');
  const runId = ctx.ids.next('scenario_projection_run');

  // Stage of each day by the FCR model's durations; the last stage runs to the end.
  const stageEnds: number[] = [];
  let end = 0;
  for (const stage of models.fcrStages) stageEnds.push((end += stage.durationDays));

  let weight: number = SCENARIO.initialWeightG;
  let population = plan.eggs;
  let cumulativeFeed = 0;
  let stageIndex = 0;
  let biomass = 0;
  for (let day = 1; day <= SCENARIO.durationDays; day++) {
    while (stageIndex < farm.stages.length - 1 && day > stageEnds[stageIndex]!) stageIndex++;
    const stage = farm.stages[stageIndex]!;
    const adult = stageIndex === farm.stages.length - 1;
    const temperature = adult ? seaTemperatures[(day - 1) % seaTemperatures.length]! : SCENARIO.freshwaterTemperatureC;
    let grown = weight;
    if (stageIndex > 0) {
      const root = Math.cbrt(weight) + tgc * temperature;
      grown = Math.max(weight, Math.min(stage.expectedWeightMaxG, root * root * root));
    }
    population = Math.round(population * (1 - models.mortalityRatePerDay));
    const fcr = models.fcrStages[stageIndex]?.fcr ?? 0;
    const dailyFeed = ((grown - weight) * population * fcr) / 1000;
    cumulativeFeed += dailyFeed;
    weight = grown;
    biomass = round2((weight * population) / 1000);
    ctx.sink.emit('scenario_scenarioprojection', {
      projection_id: ctx.ids.next('scenario_scenarioprojection'),
      projection_date: isoDate(clock.dayNumber + day - 1),
      day_number: day,
      average_weight: round4(weight),
      population,
      biomass,
      daily_feed: round3(dailyFeed),
      cumulative_feed: round3(cumulativeFeed),
      temperature,
      created_at: at,
      updated_at: at,
      current_stage_id: stage.id,
      projection_run_id: runId,
    });
  }

  ctx.sink.emit('scenario', {
    scenario_id: scenarioId,
    name: `Baseline Projection - ${plan.batchNumber}`,
    start_date: plan.startDate,
    duration_days: SCENARIO.durationDays,
    initial_count: plan.eggs,
    genotype: `Standard ${geography.name}`,
    supplier: 'External',
    initial_weight: SCENARIO.initialWeightG,
    created_at: at,
    updated_at: at,
    batch_id: ctx.batchId,
    created_by_id: ctx.userId,
    fcr_model_id: models.fcrModelId,
    mortality_model_id: models.mortalityModelId,
    tgc_model_id: tgcModelId,
    biological_constraints_id: null,
  });
  const finalWeightG = round4(weight);
  ctx.sink.emit('scenario_projection_run', {
    run_id: runId,
    run_date: at,
    run_number: 1,
    label: 'Baseline',
    parameters_snapshot: {
      tgc_model_id: tgcModelId,
      tgc_value: tgc,
      temperature_profile_id: profileId,
      freshwater_temperature_c: SCENARIO.freshwaterTemperatureC,
      fcr_model_id: models.fcrModelId,
      mortality_model_id: models.mortalityModelId,
      mortality_rate_percent_per_day: models.mortalityRatePerDay * 100,
      initial_count: plan.eggs,
      initial_weight_g: SCENARIO.initialWeightG,
      duration_days: SCENARIO.durationDays,
    },
    notes: 'Baseline projection made at egg placement',
    total_projections: SCENARIO.durationDays,
    final_weight_g: finalWeightG,
    final_biomass_kg: biomass,
    created_at: at,
    updated_at: at,
    created_by_id: ctx.userId,
    scenario_id: scenarioId,
  });
  return { scenarioId, runId, finalWeightG, createdAt: at };
}
