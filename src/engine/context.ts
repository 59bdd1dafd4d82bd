/**
 * What every step of a batch's simulation shares: its inputs, the sink, its ID block and its
 * identity. Built once per batch; immutable.
 */
import type { FarmModel, Geography, Stage } from '../core/model.js';
import type { StageOrder } from '../core/stages.js';
import type { BatchPlan, Schedule } from '../schedule/types.js';
import { HistorySink, type HistoryIds } from '../rows/history.js';
import { IdBlock } from '../rows/ids.js';
import { Rng } from '../core/rng.js';
import type { RowSink } from '../rows/sink.js';
import { dayNumber, MIDNIGHT, timestamp } from '../core/time.js';

export interface BatchContext {
  readonly farm: FarmModel;
  readonly schedule: Schedule;
  readonly plan: BatchPlan;
  /** The output; it writes the history rows of what the engine creates and changes (rows/history.ts). */
  readonly sink: HistorySink;
  readonly ids: IdBlock;
  /** history_id values from the batch's block. */
  readonly historyIds: HistoryIds;
  readonly batchId: number;
  readonly geography: Geography;
  /** auth_user the engine acts as. */
  readonly userId: number;
  /** Day number of the start date. */
  readonly startDay: number;
  /** Batch-relative index of `asOf`: the last day that may be simulated (up to "now"). */
  readonly lastDay: number;
  /** The farm's "now" on asOf, `HH:MM:SS` (00:00:00 for a bare date or `today`). */
  readonly asOfTime: string;
  /** The farm's "now" as a timestamp: nothing is stamped after it. */
  readonly now: string;
}

export function createContext(farm: FarmModel, schedule: Schedule, plan: BatchPlan, sink: RowSink): BatchContext {
  const geography = farm.geographies.find((g) => g.name === plan.geography);
  if (!geography) throw new Error(`batch ${plan.batchNumber}: geography ${plan.geography} is not in the farm`);
  const startDay = dayNumber(plan.startDate);
  const lastDay = dayNumber(schedule.asOf) - startDay;
  if (lastDay < 0) {
    throw new RangeError(`batch ${plan.batchNumber} starts ${plan.startDate}, after the schedule's asOf ${schedule.asOf}`);
  }
  const ids = new IdBlock(plan.index);
  const historyIds: HistoryIds = (table) => ids.next(table);
  return {
    farm,
    schedule,
    plan,
    sink: new HistorySink(sink, historyIds, farm.users.systemAdminId),
    ids,
    historyIds,
    batchId: ids.next('batch_batch'),
    geography,
    userId: farm.users.systemAdminId,
    startDay,
    lastDay,
    asOfTime: schedule.asOfTime ?? MIDNIGHT,
    now: timestamp(schedule.asOf, schedule.asOfTime ?? MIDNIGHT),
  };
}

/** One deterministic random stream per purpose, so adding a purpose never shifts another. */
export function streamFor(ctx: BatchContext, purpose: string): Rng {
  return new Rng(ctx.schedule.seed, ctx.plan.index, purpose);
}

export function stageOf(ctx: BatchContext, order: StageOrder): Stage {
  const stage = ctx.farm.stages[order - 1];
  if (!stage || stage.order !== order) throw new Error(`farm.stages[${order - 1}] is not the stage of order ${order}`);
  return stage;
}
