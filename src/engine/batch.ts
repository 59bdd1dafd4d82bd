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
import { emitActiveAssignment, startAssignmentDay } from './assignments.js';
import { emitBatchCreated, emitBatchRow } from './batch-row.js';
import { DayClock } from './clock.js';
import { createContext, streamFor, type BatchContext } from './context.js';
import { placeEggs } from './creation.js';
import { DailyStateStep } from './daily-state.js';
import { EnvironmentStep } from './environment.js';
import { FeedLedger, type FeedPolicy } from './feed-ledger.js';
import { BatchIncidents, FeedShortage, PurchaseWatch } from './incidents/index.js';
import { FeedingStep } from './feeding.js';
import { FeedingSummaryStep } from './feeding-summary.js';
import { emitCostCenters } from './finance.js';
import { GrowthStep } from './growth.js';
import { GrowthSampleStep } from './growth-samples.js';
import { HarvestCampaign } from './harvest.js';
import { HealthSamplingStep } from './health-sampling.js';
import { JournalStep } from './journal.js';
import { LiceCountStep } from './lice.js';
import { emitLiveProjections } from './live-projection.js';
import { resolvePhases, type StagePhase } from './lifecycle.js';
import { MortalityStep } from './mortality.js';
import { emitPlannedActivities } from './planned-activities.js';
import { createBaselineScenario, type BaselineScenario } from './scenario.js';
import type { RowSink } from '../rows/sink.js';
import { BatchState, type DayStep } from './state.js';
import { expectedTemperature, TemperatureModel } from '../core/temperature.js';
import { timestamp } from '../core/time.js';
import { TreatmentStep } from './treatments.js';
import { transferToStage } from './transfers.js';
import { LIVE_PROJECTION, MEAL_TIMES } from '../core/tuning.js';

export interface BatchInput {
  farm: FarmModel;
  schedule: Schedule;
  plan: BatchPlan;
}

export interface BatchOutcome {
  batchId: number;
  batchNumber: string;
  status: 'ACTIVE' | 'COMPLETED';
  /** Days simulated (the harvest day or asOf ends the run). */
  days: number;
  eggs: number;
  /** Fish alive on the last simulated day (0 once harvested). */
  population: number;
  harvestedFish: number;
  harvestedKg: number;
  feedKg: number;
}

/** When the run ends with fish in the water, their rows are stamped with the day's last reading. */
const END_OF_DAY = '18:00';

/** A dry run (a feed shortage looking for the last re-order before its day): how far, and how to watch. */
interface DryRun {
  stopAfterDay: number;
  feedPolicy: FeedPolicy;
}

/**
 * Simulates one batch, emitting its rows. Yields after each simulated day so the caller can wait
 * for the COPY streams to drain (backpressure); returns the outcome.
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
  const createdAt = timestamp(ctx.plan.startDate, '08:00');
  // (measured − expected) temperature of the last days, for the live projection's bias.
  const recentBias = new Float64Array(LIVE_PROJECTION.biasWindowDays);
  let scenario: BaselineScenario | null = null;
  const temperature = new TemperatureModel(ctx.geography.name, streamFor(ctx, 'temperature'));
  const harvest = new HarvestCampaign(ctx, state, seaDay, incidents?.harvestDueOn != null);

  let clock = new DayClock(0, ctx.startDay);
  let completed = false;
  for (let d = 0; d <= ctx.lastDay; d++) {
    clock = new DayClock(d, ctx.startDay + d);
    const order = stageOrderOn(d, stageDays);
    const temperatureC = temperature.next(clock.dayNumber, order, order === 6);
    recentBias[d % recentBias.length] = temperatureC - expectedTemperature(ctx.geography.name, order, order === 6, clock.dayNumber);
    if (d === 0) {
      emitBatchCreated(ctx, state, createdAt);
      state.active = placeEggs(ctx, phases[0]!, clock, temperatureC);
      emitCostCenters(ctx, state.active[0]!, createdAt);
      scenario = createBaselineScenario(ctx, clock);
    } else if (d % stageDays === 0 && d <= seaDay) {
      transferToStage(ctx, state, phaseOrThrow(ctx, phases, order, d), clock, temperatureC);
    }
    if (harvest.runDay(clock, temperatureC)) {
      completed = true;
      yield;
      break;
    }
    for (const assignment of state.active) startAssignmentDay(assignment, d);
    const day = { clock, temperatureC, atSea: order === 6 };
    for (const step of steps) step.runDay(day);
    yield;
    if (dryRun && d >= dryRun.stopAfterDay) return outcome(ctx, state, clock, false);
  }

  const endStamp = completed ? clock.stamp('10:00') : clock.stamp(END_OF_DAY);
  for (const assignment of state.active) emitActiveAssignment(ctx, assignment, state.weightG, endStamp);
  ledger.finish();
  if (!completed && scenario) {
    const planned = emitPlannedActivities(ctx, scenario.scenarioId, incidents?.harvestDueOn ?? null);
    const days = Math.min(clock.d + 1, recentBias.length);
    let bias = 0;
    for (let i = 0; i < days; i++) bias += recentBias[(clock.d - i) % recentBias.length]!;
    emitLiveProjections(ctx, state, { lastDay: clock.d, seaStartDay: seaDay, recentBiasC: bias / days, planned });
  }
  emitBatchRow(ctx, state, createdAt, {
    completed,
    lastDate: clock.date,
    updatedAt: endStamp,
    projectionRunId: scenario?.runId ?? null,
  });
  return outcome(ctx, state, clock, completed);
}

function outcome(ctx: BatchContext, state: BatchState, clock: DayClock, completed: boolean): BatchOutcome {
  return {
    batchId: ctx.batchId,
    batchNumber: ctx.plan.batchNumber,
    status: completed ? 'COMPLETED' : 'ACTIVE',
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
