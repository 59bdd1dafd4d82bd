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

const TRANSFER_TIME = '09:00';

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
 * Moves every fish of the batch into the next stage's containers today: closes the sources, opens
 * the destinations with the fish they receive, records the workflow and its actions.
 */
export function transferToStage(
  ctx: BatchContext,
  state: BatchState,
  next: StagePhase,
  clock: DayClock,
  waterTempC: number,
): void {
  const sources = state.active;
  const weightG = state.weightG;
  const fromStage = state.stage;
  const moves = planMoves(
    sources.map((a) => a.population),
    next.containers.length,
  );
  const received = new Array<number>(next.containers.length).fill(0);
  for (const move of moves) received[move.dest]! += move.count;

  const destinations = next.containers.map((container, j) =>
    openAssignment(ctx, container, next.stage, received[j]!, weightG, clock, TRANSFER_TIME),
  );
  const workflowId = ctx.ids.next('batch_batchtransferworkflow');
  const at = clock.stamp(TRANSFER_TIME);
  const remaining = sources.map((a) => a.population);
  let totalFish = 0;
  let totalBiomassKg = 0;

  for (let k = 0; k < moves.length; k++) {
    const move = moves[k]!;
    const source = sources[move.source]!;
    const dest = destinations[move.dest]!;
    const before = remaining[move.source]!;
    remaining[move.source] = before - move.count;
    const biomassKg = round2((move.count * weightG) / 1000);
    totalFish += move.count;
    totalBiomassKg += biomassKg;
    ctx.sink.emit('batch_transferaction', {
      id: ctx.ids.next('batch_transferaction'),
      action_number: k + 1,
      source_population_before: before,
      transferred_count: move.count,
      mortality_during_transfer: 0,
      transferred_biomass_kg: biomassKg,
      status: 'COMPLETED',
      planned_date: clock.date,
      actual_execution_date: clock.date,
      transfer_method: 'PUMP',
      water_temp_c: round2(waterTempC),
      oxygen_level: null,
      execution_duration_minutes: null,
      notes: `Automated transfer ${source.container.name} → ${dest.container.name}`,
      created_at: at,
      updated_at: at,
      dest_assignment_id: dest.id,
      executed_by_id: ctx.userId,
      source_assignment_id: source.id,
      workflow_id: workflowId,
      measured_avg_weight_g: round2(weightG),
      measured_std_dev_weight_g: null,
      measured_sample_size: null,
      measured_avg_length_cm: null,
      measured_notes: '',
      selection_method: 'AVERAGE',
      allow_mixed: false,
      created_via: 'PLANNED',
      dest_container_id: dest.container.id,
      executed_at: at,
      leg_type: null,
    });
  }

  // Hall → ring moves the fish from the freshwater company to the farming company, who pays for them.
  const intercompany = next.atSea && sources.every((a) => a.container.hallId !== null);
  const financeTransactionId = intercompany ? emitSmoltDelivery(ctx, state, workflowId, clock, at) : null;
  ctx.sink.emit('batch_batchtransferworkflow', {
    id: workflowId,
    workflow_number: `TRF-${ctx.plan.batchNumber}-D${String(clock.d).padStart(3, '0')}`,
    workflow_type: 'LIFECYCLE_TRANSITION',
    status: 'COMPLETED',
    planned_start_date: clock.date,
    planned_completion_date: clock.date,
    actual_start_date: clock.date,
    actual_completion_date: clock.date,
    total_source_count: totalFish,
    total_transferred_count: totalFish,
    total_mortality_count: 0,
    total_biomass_kg: round2(totalBiomassKg),
    total_actions_planned: moves.length,
    actions_completed: moves.length,
    completion_percentage: 100,
    is_intercompany: intercompany,
    source_subsidiary: intercompany ? 'FRESHWATER' : null,
    dest_subsidiary: intercompany ? 'FARMING' : null,
    notes: `Automatic stage transition: ${fromStage.name} → ${next.stage.name}`,
    cancellation_reason: '',
    created_at: at,
    updated_at: at,
    batch_id: ctx.batchId,
    completed_by_id: ctx.userId,
    dest_lifecycle_stage_id: next.stage.id,
    finance_transaction_id: financeTransactionId,
    initiated_by_id: ctx.userId,
    source_lifecycle_stage_id: fromStage.id,
    planned_activity_id: null,
    is_dynamic_execution: false,
    dynamic_completed_at: null,
    dynamic_completed_by_id: null,
    dynamic_route_mode: null,
    estimated_total_biomass_kg: round2(totalBiomassKg),
    estimated_total_count: totalFish,
  });

  for (const source of sources) closeAssignment(ctx, source, weightG, clock, TRANSFER_TIME);
  state.active = destinations;
  state.stage = next.stage;
}
