/**
 * The deterministic day-by-day simulation of one batch: a pure function of (farm, schedule, plan)
 * that emits rows to a sink. No I/O, no wall clock, no Math.random.
 *
 * Each day: stage transition (time-based), harvest (Adult, on target weight), then the daily
 * steps in AquaMind's order: readings, 08:00 meal, mortality, 16:00 meal, growth, weekly sample,
 * lice counts, health sampling, treatments, journal; then what AquaMind derived afterwards from
 * the day's rows: feeding summaries and the daily assignment states (growth analysis).
 * Rows whose state changes over time (assignments, stock, the batch) are emitted once, final.
 * Day 0 also makes the baseline scenario and the cost centers; a batch still ACTIVE at asOf gets
 * its planned activities and live forward projections at the end.
 */
import type { FarmModel } from '../core/model.js';
import { seaTransferDay, stageOrderOn, type StageOrder } from '../core/stages.js';
import type { BatchPlan, Schedule } from '../schedule/types.js';
import { closeActiveAssignment, startAssignmentDay } from './assignments.js';
import { BatchRecord } from './batch-row.js';
import { DAY_END_TIME, DayClock } from './clock.js';
import { createContext, streamFor, type BatchContext } from './context.js';
import { PLACEMENT_TIME, placeEggs } from './creation.js';
import { DailyStateStep } from './daily-state.js';
import { EnvironmentStep } from './environment.js';
import { FeedLedger, type FeedPolicy } from './feed-ledger.js';
import { BatchIncidents, FeedShortage, PurchaseWatch } from './incidents/index.js';
import { FeedingStep } from './feeding.js';
import { FeedingSummaryStep } from './feeding-summary.js';
import { emitCostCenters } from './finance.js';
import { GrowthStep } from './growth.js';
import { GrowthSampleStep } from './growth-samples.js';
import { HARVEST_TIME, HarvestCampaign } from './harvest.js';
import { HealthSamplingStep } from './health-sampling.js';
import { JournalStep } from './journal.js';
import { LiceCountStep } from './lice.js';
import { emitLiveProjections } from './live-projection.js';
import { resolvePhases, type StagePhase } from './lifecycle.js';
import { MortalityStep } from './mortality.js';
import { emitPlannedActivities } from './planned-activities.js';
import { createBaselineScenario, SCENARIO_TIME, type BaselineScenario } from './scenario.js';
import type { RowSink } from '../rows/sink.js';
import { BatchState, type DayStep } from './state.js';
import { expectedTemperature, TemperatureModel } from '../core/temperature.js';
import { TreatmentStep } from './treatments.js';
import { TRANSFER_TIME, transferToStage } from './transfers.js';
import { LIVE_PROJECTION, MEAL_TIMES } from '../core/tuning.js';

export interface BatchInput {
  farm: FarmModel;
  schedule: Schedule;
  plan: BatchPlan;
}

export interface BatchOutcome {
  batchId: number;
  batchNumber: string;
  /** PLANNED when its eggs are due after the farm's "now". */
  status: 'PLANNED' | 'ACTIVE' | 'COMPLETED';
  /** Days simulated (the harvest day or asOf ends the run). */
  days: number;
  eggs: number;
  /** Fish alive on the last simulated day (0 once harvested). */
  population: number;
  harvestedFish: number;
  harvestedKg: number;
  feedKg: number;
}

/** A dry run (a feed shortage looking for the last re-order before its day): how far, and how to watch. */
interface DryRun {
  stopAfterDay: number;
  feedPolicy: FeedPolicy;
}

/**
 * Simulates one batch, emitting its rows. Yields after each simulated day so the caller can wait
 * for the COPY streams to drain (backpressure); returns the outcome. The asOf day runs up to the
 * farm's "now" only (DayClock.happened): what is due later that day is not done.
 */
export function* simulateBatch(input: BatchInput, sink: RowSink, dryRun?: DryRun): Generator<void, BatchOutcome> {
  const ctx = createContext(input.farm, input.schedule, input.plan, sink);
  const incidents = BatchIncidents.of(ctx);
  const phases = resolvePhases(ctx);
  const state = new BatchState(phases[0]!.stage);
  const ledger = new FeedLedger(ctx, dryRun ? dryRun.feedPolicy : shortagePolicy(input, incidents));
  const stageDays = ctx.schedule.stageDays;
  const seaDay = seaTransferDay(stageDays);
  const steps = dailySteps(ctx, state, ledger, seaDay, incidents);
  const batch = new BatchRecord(ctx, state.stage.id);
  // (measured − expected) temperature of the last whole days, for the live projection's bias.
  const recentBias = new Float64Array(LIVE_PROJECTION.biasWindowDays);
  let scenario: BaselineScenario | null = null;
  const temperature = new TemperatureModel(ctx.geography.name, streamFor(ctx, 'temperature'));
  const harvest = new HarvestCampaign(ctx, state, seaDay, incidents?.harvestDueOn != null);

  let clock = new DayClock(0, ctx.startDay);
  let completed = false;
  /** The last day whose growth is in, and how many of the bias window's days are filled. */
  let grownThrough = -1;
  let biasDays = 0;
  for (let d = 0; d <= ctx.lastDay; d++) {
    clock = new DayClock(d, ctx.startDay + d, d === ctx.lastDay ? ctx.asOfTime : null);
    const order = stageOrderOn(d, stageDays);
    const temperatureC = temperature.next(clock.dayNumber, order, order === 6);
    if (d === 0) {
      if (clock.happened(PLACEMENT_TIME)) {
        state.active = placeEggs(ctx, phases[0]!, clock, temperatureC);
        batch.activate(clock.stamp(PLACEMENT_TIME));
        emitCostCenters(ctx, state.active[0]!, clock.stamp(PLACEMENT_TIME));
        if (clock.happened(SCENARIO_TIME)) scenario = createBaselineScenario(ctx, clock);
      }
    } else if (d % stageDays === 0 && d <= seaDay) {
      const next = phaseOrThrow(ctx, phases, order, d);
      if (transferToStage(ctx, state, next, clock, temperatureC)) batch.enterStage(next.stage.id, clock.stamp(TRANSFER_TIME));
    }
    if (harvest.runDay(clock, temperatureC)) {
      completed = true;
      batch.complete(clock.date, clock.stamp(HARVEST_TIME));
      yield;
      break;
    }
    for (const assignment of state.active) startAssignmentDay(assignment, d);
    // Where the fish are: a transfer not yet executed at "now" leaves them in the last stage.
    const day = { clock, temperatureC, atSea: state.stage.order === 6 };
    for (const step of steps) step.runDay(day);
    if (clock.happened(DAY_END_TIME)) {
      grownThrough = d;
      recentBias[d % recentBias.length] = temperatureC - expectedTemperature(ctx.geography.name, order, order === 6, clock.dayNumber);
      biasDays = Math.min(biasDays + 1, recentBias.length);
    }
    yield;
    if (dryRun && d >= dryRun.stopAfterDay) return outcome(ctx, state, clock, batch.status);
  }

  for (const assignment of state.active) closeActiveAssignment(assignment, state.weightG);
  ledger.finish();
  if (!completed && scenario) {
    const planned = emitPlannedActivities(ctx, scenario.scenarioId, scenario.createdAt, incidents?.harvestDueOn ?? null);
    let bias = 0;
    for (let i = 0; i < biasDays; i++) bias += recentBias[(grownThrough - i + recentBias.length) % recentBias.length]!;
    emitLiveProjections(ctx, state, { today: ctx.lastDay, grownThrough, seaStartDay: seaDay, recentBiasC: biasDays > 0 ? bias / biasDays : 0, planned });
    batch.pin(scenario.runId);
  }
  const status = batch.status;
  batch.close();
  return outcome(ctx, state, clock, status);
}

function outcome(ctx: BatchContext, state: BatchState, clock: DayClock, status: string): BatchOutcome {
  return {
    batchId: ctx.batchId,
    batchNumber: ctx.plan.batchNumber,
    status: status as BatchOutcome['status'],
    days: clock.d + 1,
    eggs: ctx.plan.eggs,
    population: state.population(),
    harvestedFish: state.harvestedFish,
    harvestedKg: state.harvestedKg,
    feedKg: state.feedKg,
  };
}

/**
 * A feed shortage holds back the last re-order of its feed container on or before its day: a dry
 * run of the batch up to that day, watching its purchases, finds which one that is.
 */
function shortagePolicy(input: BatchInput, incidents: BatchIncidents | null): FeedPolicy | null {
  const bins = incidents?.shortageBins();
  if (!bins) return null;
  const watch = new PurchaseWatch(bins);
  const run = simulateBatch(input, DISCARD, { stopAfterDay: Math.max(...[...bins.values()].map((bin) => bin.day)), feedPolicy: watch });
  while (!run.next().done) {
    // Days of the dry run: nothing to drain.
  }
  return new FeedShortage(watch.windows());
}

const DISCARD: RowSink = { emit: () => {} };

/**
 * The daily routine in AquaMind's order; later features append their steps here. The last two
 * read the day's tallies the others left on the assignments (deaths, feed, sample means). A
 * batch's incidents add theirs after the routine step they follow.
 */
function dailySteps(ctx: BatchContext, state: BatchState, ledger: FeedLedger, seaDay: number, incidents: BatchIncidents | null): DayStep[] {
  const feedingRng = streamFor(ctx, 'feeding');
  const lice = new LiceCountStep(ctx, state, streamFor(ctx, 'lice'), seaDay, incidents?.liceOverride(state) ?? null);
  return [
    new EnvironmentStep(ctx, state, streamFor(ctx, 'environment'), incidents?.sensors ?? null),
    new FeedingStep(ctx, state, ledger, feedingRng, MEAL_TIMES.morning),
    new MortalityStep(ctx, state, streamFor(ctx, 'mortality')),
    ...(incidents?.afterMortality(state) ?? []),
    new FeedingStep(ctx, state, ledger, feedingRng, MEAL_TIMES.afternoon),
    new GrowthStep(state),
    new GrowthSampleStep(ctx, state, streamFor(ctx, 'growth-samples')),
    lice,
    new HealthSamplingStep(ctx, state, streamFor(ctx, 'health-sampling')),
    new TreatmentStep(ctx, state, seaDay),
    new JournalStep(ctx, state, streamFor(ctx, 'journal')),
    ...(incidents?.afterHealth(state, lice) ?? []),
    new FeedingSummaryStep(ctx, state),
    new DailyStateStep(ctx, state),
  ];
}

function phaseOrThrow(ctx: BatchContext, phases: readonly (StagePhase | undefined)[], order: StageOrder, d: number): StagePhase {
  const phase = phases[order - 1];
  if (!phase) {
    throw new Error(`batch ${ctx.plan.batchNumber} reaches stage ${order} on day ${d} but the plan allocates no containers for it`);
  }
  return phase;
}
