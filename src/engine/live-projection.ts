/**
 * `batch_liveforwardprojection` and `batch_containerforecastsummary`: AquaMind's
 * `run_live_projections.py` for batches still ACTIVE at the farm's "now" (the asOf instant), run
 * then. For every container holding fish it projects, from the first day whose growth is not in
 * yet (asOf itself unless "now" is past its end), one row per day until the batch's
 * harvest target weight or the last Adult day the plan reserves the rings for, and writes one
 * forecast summary (current state, projected harvest and next transfer).
 *
 * The projection uses the engine's own biology with expected conditions: the stage of each future
 * day by the time-based stage plan, the stage TGC, the hatchery setpoint or the sea's seasonal
 * curve plus the temperature bias the last 14 days showed against it (clamped to ±2 °C, AquaMind's
 * bias window and clamp), and the stage's mortality rate. All containers share the batch weight,
 * so the trajectory is computed once and only the fish counts differ per container.
 */
import type { Assignment } from './assignments.js';
import type { BatchContext } from './context.js';
import { tgcStep } from '../core/growth.js';
import { round2, round4 } from '../core/numbers.js';
import type { PlannedActivitySummary } from './planned-activities.js';
import type { BatchState } from './state.js';
import { expectedTemperature } from '../core/temperature.js';
import { isoDate } from '../core/time.js';
import { LIVE_PROJECTION, MORTALITY_RATE, STAGE_TGC } from '../core/tuning.js';
import type { StageOrder } from '../core/stages.js';

interface ProjectedDay {
  readonly date: string;
  readonly d: number;
  readonly weightG: number;
  readonly temperatureC: number;
  readonly tgc: number;
  /** Share of today's fish still alive on this day. */
  readonly survival: number;
}

export interface LiveProjectionInput {
  /** Batch day of asOf (the farm's "today"). */
  readonly today: number;
  /** The last batch day whose growth is in (the day before asOf, or asOf once it is over). */
  readonly grownThrough: number;
  /** Batch day of the sea transfer. */
  readonly seaStartDay: number;
  /** Mean (measured − expected) temperature of the last days, unclamped. */
  readonly recentBiasC: number;
  readonly planned: PlannedActivitySummary;
}

export function emitLiveProjections(ctx: BatchContext, state: BatchState, input: LiveProjectionInput): void {
  const { farm, geography, plan, schedule } = ctx;
  const stageDays = schedule.stageDays;
  const bias = round2(Math.max(-LIVE_PROJECTION.biasClampC, Math.min(LIVE_PROJECTION.biasClampC, input.recentBiasC)));
  const thresholdG = plan.harvestTargetKg * 1000;
  const lastProjectedDay = input.seaStartDay + schedule.adultMaxDays;
  const profileId = farm.scenarioModels.temperatureProfileIdByGeography.get(geography.id) ?? null;
  const profileName = farm.scenarioModels.temperatureProfileNameByGeography.get(geography.id) ?? '';

  const days: ProjectedDay[] = [];
  let weightG = state.weightG;
  let survival = 1;
  let harvestIndex = -1;
  for (let d = input.grownThrough + 1; d <= lastProjectedDay && weightG < thresholdG; d++) {
    const order = Math.min(6, Math.floor(d / stageDays) + 1) as StageOrder;
    const atSea = d >= input.seaStartDay;
    const temperatureC = expectedTemperature(geography.name, order, atSea, ctx.startDay + d) + bias;
    const tgc = STAGE_TGC[order];
    if (tgc > 0) weightG = Math.max(weightG, Math.min(farm.stages[order - 1]!.expectedWeightMaxG, tgcStep(weightG, tgc, temperatureC)));
    survival *= 1 - MORTALITY_RATE[order];
    days.push({ date: isoDate(ctx.startDay + d), d, weightG, temperatureC, tgc, survival });
    if (weightG >= thresholdG) harvestIndex = days.length - 1;
  }

  const computedDate = isoDate(ctx.startDay + input.today);
  const computedAt = ctx.now;
  for (const a of state.active) {
    for (const day of days) {
      const population = Math.round(a.population * day.survival);
      ctx.sink.emit('batch_liveforwardprojection', {
        id: ctx.ids.next('batch_liveforwardprojection'),
        computed_date: computedDate,
        projection_date: day.date,
        day_number: day.d + 1,
        projected_weight_g: round2(day.weightG),
        projected_population: population,
        projected_biomass_kg: round2((population * day.weightG) / 1000),
        temperature_used_c: round2(day.temperatureC),
        tgc_value_used: round4(day.tgc),
        temp_profile_id: profileId,
        temp_profile_name: profileName,
        temp_bias_c: bias,
        temp_bias_window_days: LIVE_PROJECTION.biasWindowDays,
        temp_bias_clamp_min_c: -LIVE_PROJECTION.biasClampC,
        temp_bias_clamp_max_c: LIVE_PROJECTION.biasClampC,
        assignment_id: a.id,
        batch_id: ctx.batchId,
        container_id: a.container.id,
      });
    }
    emitForecastSummary(ctx, state, a, input, days, harvestIndex, { computedDate, computedAt, bias, profileName, thresholdG });
  }
}

function emitForecastSummary(
  ctx: BatchContext,
  state: BatchState,
  a: Assignment,
  input: LiveProjectionInput,
  days: readonly ProjectedDay[],
  harvestIndex: number,
  run: { computedDate: string; computedAt: string; bias: number; profileName: string; thresholdG: number },
): void {
  const order = state.stage.order;
  const harvest = harvestIndex >= 0 ? days[harvestIndex]! : null;
  // The next transfer is the end of the current freshwater stage (time-based, as the engine moves fish).
  const transferDay = order < 6 ? order * ctx.schedule.stageDays : null;
  const transfer = transferDay === null ? null : (days.find((day) => day.d === transferDay) ?? null);
  const original = input.planned.harvestDue;
  const variance = harvest && original ? Math.round((Date.parse(harvest.date) - Date.parse(original)) / 86_400_000) : null;
  ctx.sink.emit('batch_containerforecastsummary', {
    assignment_id: a.id,
    current_weight_g: round2(state.weightG),
    current_population: a.population,
    current_biomass_kg: round2((a.population * state.weightG) / 1000),
    state_date: run.computedDate,
    state_day_number: input.today + 1,
    state_confidence: Number.isNaN(a.sampleMeanTodayG) ? 0.8 : 1,
    projected_harvest_date: harvest?.date ?? null,
    projected_harvest_weight_g: harvest ? round2(harvest.weightG) : null,
    days_to_harvest: harvest ? harvest.d - input.today : null,
    harvest_threshold_g: round2(run.thresholdG),
    projected_transfer_date: transfer?.date ?? null,
    projected_transfer_weight_g: transfer ? round2(transfer.weightG) : null,
    days_to_transfer: transfer ? transfer.d - input.today : null,
    transfer_threshold_g: transferDay === null ? null : round2(state.stage.expectedWeightMaxG),
    original_harvest_date: original,
    harvest_variance_days: variance,
    has_planned_harvest: input.planned.hasPendingHarvest,
    has_planned_transfer: order < 6 && input.planned.hasPendingTransfer,
    needs_planning_attention: harvest === null || (variance !== null && Math.abs(variance) > 30),
    temp_profile_name: run.profileName,
    temp_bias_c: run.bias,
    temp_bias_window_days: LIVE_PROJECTION.biasWindowDays,
    last_computed: run.computedAt,
    computed_date: run.computedDate,
  });
}
