/**
 * Day 0, 08:00: the eggs arrive. `batch_creationworkflow` (CRT-<batch>) and one
 * `batch_creationaction` per Egg&Alevin container, placing the eggs evenly (the remainder in the
 * first containers). As AquaMind's engine saved them: the workflow created IN_PROGRESS (started,
 * nothing counted yet), the actions created COMPLETED with their assignments, then the workflow
 * saved COMPLETED with its totals; the caller then sets the batch ACTIVE.
 */
import type { Assignment } from './assignments.js';
import { openAssignment } from './assignments.js';
import type { DayClock } from './clock.js';
import type { BatchContext } from './context.js';
import type { StagePhase } from './lifecycle.js';
import { round2 } from '../core/numbers.js';
import { splitEvenly } from './split.js';
import { EGG_WEIGHT_G } from '../core/tuning.js';

export const PLACEMENT_TIME = '08:00';

export function placeEggs(ctx: BatchContext, phase: StagePhase, clock: DayClock, waterTempC: number): Assignment[] {
  const { plan, farm } = ctx;
  const workflowId = ctx.ids.next('batch_creationworkflow');
  const at = clock.stamp(PLACEMENT_TIME);
  const counts = splitEvenly(plan.eggs, phase.containers.length);
  const supplierId = farm.eggSupplierIdByGeography.get(ctx.geography.id) ?? null;

  const workflow = ctx.sink.track('batch_creationworkflow', {
    id: workflowId,
    workflow_number: `CRT-${plan.batchNumber}`,
    status: 'IN_PROGRESS',
    egg_source_type: 'EXTERNAL',
    external_supplier_batch_number: `EGG-${plan.batchNumber}`,
    external_cost_per_thousand: null,
    total_eggs_planned: plan.eggs,
    total_eggs_received: 0,
    total_mortality_on_arrival: 0,
    planned_start_date: clock.date,
    planned_completion_date: clock.date,
    actual_start_date: clock.date,
    actual_completion_date: null,
    total_actions: 0,
    actions_completed: 0,
    progress_percentage: 0,
    cancellation_reason: '',
    cancelled_at: null,
    notes: `Automated batch creation: ${plan.batchNumber}`,
    created_at: at,
    updated_at: at,
    batch_id: ctx.batchId,
    cancelled_by_id: null,
    created_by_id: ctx.userId,
    egg_production_id: null,
    external_supplier_id: supplierId,
  }, at);

  const assignments: Assignment[] = [];
  for (let i = 0; i < counts.length; i++) {
    const container = phase.containers[i]!;
    const eggs = counts[i]!;
    const assignment = openAssignment(ctx, container, phase.stage, eggs, EGG_WEIGHT_G, clock, PLACEMENT_TIME);
    assignments.push(assignment);
    ctx.sink.emit('batch_creationaction', {
      id: ctx.ids.next('batch_creationaction'),
      action_number: i + 1,
      status: 'COMPLETED',
      egg_count_planned: eggs,
      egg_count_actual: eggs,
      mortality_on_arrival: 0,
      expected_delivery_date: clock.date,
      actual_delivery_date: clock.date,
      delivery_method: 'TRANSPORT',
      water_temp_on_arrival: round2(waterTempC),
      egg_quality_score: 5,
      execution_duration_minutes: null,
      notes: `Egg delivery to ${container.name}`,
      created_at: at,
      updated_at: at,
      dest_assignment_id: assignment.id,
      executed_by_id: ctx.userId,
      workflow_id: workflowId,
    });
  }
  workflow.change(
    {
      status: 'COMPLETED',
      total_eggs_received: plan.eggs,
      actual_completion_date: clock.date,
      total_actions: counts.length,
      actions_completed: counts.length,
      progress_percentage: 100,
    },
    at,
  );
  workflow.close();
  return assignments;
}
