/**
 * Stage windows: when each of the six stages starts and which containers the plan gives it.
 * Transitions are time-based (AquaMind §3.7): stage k of the freshwater phase starts on day
 * (k − 1) × stageDays and the sea transfer to Adult on day 5 × stageDays.
 */
import type { Container, Stage } from '../core/model.js';
import { stageStartDay, type StageOrder } from '../core/stages.js';
import { STAGE_KEYS } from '../schedule/types.js';
import { stageOf, type BatchContext } from './context.js';

export interface StagePhase {
  readonly stage: Stage;
  /** Batch-relative day the stage starts. */
  readonly startDay: number;
  /** Containers in the plan's (name) order. */
  readonly containers: readonly Container[];
  /** Whether the containers are sea rings. */
  readonly atSea: boolean;
}

/**
 * The plan's stages indexed by order (index 0 = Egg&Alevin); stages the plan does not allocate
 * (a date-bounded batch) are undefined.
 */
export function resolvePhases(ctx: BatchContext): (StagePhase | undefined)[] {
  const { plan, schedule } = ctx;
  const phases: (StagePhase | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined];
  for (const allocation of plan.freshwater) {
    const index = STAGE_KEYS.indexOf(allocation.stage);
    const order = (index + 1) as StageOrder;
    if (index < 0) throw new Error(`batch ${plan.batchNumber}: unknown freshwater stage key ${allocation.stage}`);
    phases[order - 1] = phase(ctx, order, allocation.startDay, allocation.containers, false);
  }
  if (plan.sea) phases[5] = phase(ctx, 6, plan.sea.startDay, plan.sea.rings, true);
  if (!phases[0]) throw new Error(`batch ${plan.batchNumber}: the plan has no egg_alevin containers`);
  for (const p of phases) {
    const expected = p ? stageStartDay(p.stage.order, schedule.stageDays) : 0;
    if (p && p.startDay !== expected) {
      throw new Error(
        `batch ${plan.batchNumber}: ${p.stage.name} is planned from day ${p.startDay}, the engine moves fish on day ${expected}`,
      );
    }
  }
  return phases;
}

function phase(ctx: BatchContext, order: StageOrder, startDay: number, names: readonly string[], atSea: boolean): StagePhase {
  if (names.length === 0) throw new Error(`batch ${ctx.plan.batchNumber}: no containers planned for stage ${order}`);
  const containers = names.map((name) => {
    const id = ctx.farm.containerIdByName.get(name);
    const container = id === undefined ? undefined : ctx.farm.containers.get(id);
    if (!container) throw new Error(`batch ${ctx.plan.batchNumber}: container ${name} is not in the farm`);
    if (container.role !== 'HOLDING') throw new Error(`batch ${ctx.plan.batchNumber}: container ${name} is not a HOLDING container`);
    return container;
  });
  return { stage: stageOf(ctx, order), startDay, containers, atSea };
}
