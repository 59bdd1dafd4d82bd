/**
 * Stage transitions: `batch_batchtransferworkflow` (TRF-<batch>-D<ddd>) and its
 * `batch_transferaction`s. The fish that leave the sources are exactly the fish the destinations
 * receive (AquaMind pre-populated destinations and then also recorded transfers: Issue #112's
 * doubling), every destination gets at least one action, and actions add up to the workflow.
 */
import { closeAssignment, openAssignment } from './assignments.js';
import { emitSmoltDelivery } from './finance.js';
import type { DayClock } from './clock.js';
import type { BatchContext } from './context.js';
import type { StagePhase } from './lifecycle.js';
import { round2 } from '../core/numbers.js';
import { splitByWeights } from './split.js';
import type { BatchState } from './state.js';

/** A stage transition is planned first thing on its day and executed at 09:00. */
const PLAN_TIME = '07:00';
export const TRANSFER_TIME = '09:00';

/** `count` fish from source `source` to destination `dest` (indexes into the two lists). */
export interface Move {
  readonly source: number;
  readonly dest: number;
  readonly count: number;
}

/**
 * Splits the sources' fish over `destCount` destinations. Sources and destinations are laid side by
 * side on one line (source i covers [i/N, (i+1)/N), destination j [j/M, (j+1)/M)); each source
 * gives to the destinations it overlaps in proportion to the overlap. So 10 → 10 pairs tanks 1:1,
 * 10 → 20 halves each tank and 10 → 8 merges neighbours, with no slivers and no fish lost.
 */
export function planMoves(sourcePopulations: readonly number[], destCount: number): Move[] {
  const n = sourcePopulations.length;
  const m = destCount;
  const moves: Move[] = [];
  for (let i = 0; i < n; i++) {
    // Positions in units of 1/(n·m): source i spans [i·m, (i+1)·m), destination j spans [j·n, (j+1)·n).
    const from = i * m;
    const to = (i + 1) * m;
    const firstDest = Math.floor(from / n);
    const lastDest = Math.ceil(to / n) - 1;
    const dests: number[] = [];
    const overlaps: number[] = [];
    for (let j = firstDest; j <= lastDest; j++) {
      const overlap = Math.min(to, (j + 1) * n) - Math.max(from, j * n);
      if (overlap > 0) {
        dests.push(j);
        overlaps.push(overlap);
      }
    }
    const counts = splitByWeights(sourcePopulations[i]!, overlaps);
    for (let k = 0; k < dests.length; k++) {
      if (counts[k]! > 0) moves.push({ source: i, dest: dests[k]!, count: counts[k]! });
    }
  }
  return moves;
}

/**
 * Moves every fish of the batch into the next stage's containers today, as AquaMind's transfer
 * workflow does it: planned at 07:00 (the workflow PLANNED, its actions PENDING towards the
 * destination containers), executed at 09:00 (each action COMPLETED into its destination
 * assignment, the workflow IN_PROGRESS with the first and COMPLETED with the last, the sources
 * closed). What is not due by the farm's "now" does not happen: a transfer planned but not yet
 * executed leaves the fish where they are. Returns whether the fish moved.
 */
export function transferToStage(
  ctx: BatchContext,
  state: BatchState,
  next: StagePhase,
  clock: DayClock,
  waterTempC: number,
): boolean {
  if (!clock.happened(PLAN_TIME)) return false;
  const sources = state.active;
  const weightG = state.weightG;
  const fromStage = state.stage;
  const moves = planMoves(
    sources.map((a) => a.population),
    next.containers.length,
  );
  const plannedAt = clock.stamp(PLAN_TIME);
  const workflowId = ctx.ids.next('batch_batchtransferworkflow');
  let totalFish = 0;
  let totalBiomassKg = 0;
  for (const move of moves) {
    totalFish += move.count;
    totalBiomassKg += round2((move.count * weightG) / 1000);
  }
  // Hall → ring moves the fish from the freshwater company to the farming company, who pays for them.
  const intercompany = next.atSea && sources.every((a) => a.container.hallId !== null);
  const workflow = ctx.sink.track(
    'batch_batchtransferworkflow',
    {
      id: workflowId,
      workflow_number: `TRF-${ctx.plan.batchNumber}-D${String(clock.d).padStart(3, '0')}`,
      workflow_type: 'LIFECYCLE_TRANSITION',
      status: 'PLANNED',
      planned_start_date: clock.date,
      planned_completion_date: clock.date,
      actual_start_date: null,
      actual_completion_date: null,
      total_source_count: totalFish,
      total_transferred_count: 0,
      total_mortality_count: 0,
      total_biomass_kg: 0,
      total_actions_planned: moves.length,
      actions_completed: 0,
      completion_percentage: 0,
      is_intercompany: intercompany,
      source_subsidiary: intercompany ? 'FRESHWATER' : null,
      dest_subsidiary: intercompany ? 'FARMING' : null,
      notes: `Automatic stage transition: ${fromStage.name} → ${next.stage.name}`,
      cancellation_reason: '',
      created_at: plannedAt,
      updated_at: plannedAt,
      batch_id: ctx.batchId,
      completed_by_id: null,
      dest_lifecycle_stage_id: next.stage.id,
      finance_transaction_id: null,
      initiated_by_id: ctx.userId,
      source_lifecycle_stage_id: fromStage.id,
      planned_activity_id: null,
      is_dynamic_execution: false,
      dynamic_completed_at: null,
      dynamic_completed_by_id: null,
      dynamic_route_mode: null,
      estimated_total_biomass_kg: round2(totalBiomassKg),
      estimated_total_count: totalFish,
    },
    plannedAt,
  );
  const remaining = sources.map((a) => a.population);
  const actions = moves.map((move, k) => {
    const source = sources[move.source]!;
    const before = remaining[move.source]!;
    remaining[move.source] = before - move.count;
    return ctx.sink.track(
      'batch_transferaction',
      {
        id: ctx.ids.next('batch_transferaction'),
        action_number: k + 1,
        source_population_before: before,
        transferred_count: move.count,
        mortality_during_transfer: 0,
        transferred_biomass_kg: round2((move.count * weightG) / 1000),
        status: 'PENDING',
        planned_date: clock.date,
        actual_execution_date: null,
        transfer_method: 'PUMP',
        water_temp_c: null,
        oxygen_level: null,
        execution_duration_minutes: null,
        notes: `Automated transfer ${source.container.name} → ${next.containers[move.dest]!.name}`,
        created_at: plannedAt,
        updated_at: plannedAt,
        dest_assignment_id: null,
        executed_by_id: null,
        source_assignment_id: source.id,
        workflow_id: workflowId,
        measured_avg_weight_g: null,
        measured_std_dev_weight_g: null,
        measured_sample_size: null,
        measured_avg_length_cm: null,
        measured_notes: '',
        selection_method: 'AVERAGE',
        allow_mixed: false,
        created_via: 'PLANNED',
        dest_container_id: next.containers[move.dest]!.id,
        executed_at: null,
        leg_type: null,
      },
      plannedAt,
    );
  });
  if (!clock.happened(TRANSFER_TIME)) {
    for (const action of actions) action.close();
    workflow.close();
    return false;
  }

  const received = new Array<number>(next.containers.length).fill(0);
  for (const move of moves) received[move.dest]! += move.count;
  const destinations = next.containers.map((container, j) =>
    openAssignment(ctx, container, next.stage, received[j]!, weightG, clock, TRANSFER_TIME),
  );
  const at = clock.stamp(TRANSFER_TIME);
  for (let k = 0; k < moves.length; k++) {
    actions[k]!.change(
      {
        status: 'COMPLETED',
        actual_execution_date: clock.date,
        water_temp_c: round2(waterTempC),
        dest_assignment_id: destinations[moves[k]!.dest]!.id,
        executed_by_id: ctx.userId,
        measured_avg_weight_g: round2(weightG),
        executed_at: at,
      },
      at,
    );
    actions[k]!.close();
    if (k === 0) workflow.change({ status: 'IN_PROGRESS', actual_start_date: clock.date }, at);
  }
  const financeTransactionId = intercompany ? emitSmoltDelivery(ctx, state, workflowId, clock, at) : null;
  workflow.change(
    {
      status: 'COMPLETED',
      actual_completion_date: clock.date,
      total_transferred_count: totalFish,
      total_biomass_kg: round2(totalBiomassKg),
      actions_completed: moves.length,
      completion_percentage: 100,
      completed_by_id: ctx.userId,
      finance_transaction_id: financeTransactionId,
    },
    at,
  );
  workflow.close();

  for (const source of sources) closeAssignment(source, weightG, clock, TRANSFER_TIME);
  state.active = destinations;
  state.stage = next.stage;
  return true;
}
