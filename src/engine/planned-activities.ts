/**
 * `planning_plannedactivity`: what AquaMind's `seed_planned_activities.py` writes for every ACTIVE
 * batch once generation is done, one activity per DAY_OFFSET template (20), due start + offset, in
 * the batch's scenario, created by `admin`. Activities due before the farm's "today" (asOf) are
 * COMPLETED on their due date by `admin`; the rest are PENDING, so none is overdue, unless the
 * schedule's `overdueActivityDays` leaves those due in the last days before asOf PENDING, or an
 * overdue-harvest incident moves the HARVEST activity to the day it was due. Completed batches get
 * none (the script skips them).
 */
import type { BatchContext } from './context.js';
import { dayNumber, isoDate, timestamp } from '../core/time.js';

export interface PlannedActivitySummary {
  /** Due date of the HARVEST activity, if any. */
  harvestDue: string | null;
  hasPendingHarvest: boolean;
  hasPendingTransfer: boolean;
}

export function emitPlannedActivities(ctx: BatchContext, scenarioId: number, harvestDueOn: string | null = null): PlannedActivitySummary {
  const { farm, schedule } = ctx;
  const asOf = schedule.asOf;
  // Due before this and the farm has done it; due from it to asOf, it is still waiting: overdue.
  const doneBefore = schedule.overdueActivityDays ? isoDate(dayNumber(asOf) - schedule.overdueActivityDays) : asOf;
  const createdAt = timestamp(asOf, '00:00');
  const adminId = farm.users.adminId;
  const summary: PlannedActivitySummary = { harvestDue: null, hasPendingHarvest: false, hasPendingTransfer: false };
  for (const template of farm.activityTemplates) {
    const overdueHarvest = harvestDueOn !== null && template.activityType === 'HARVEST';
    const due = overdueHarvest ? harvestDueOn : isoDate(ctx.startDay + template.dayOffset);
    const completed = !overdueHarvest && due < doneBefore;
    if (template.activityType === 'HARVEST') {
      summary.harvestDue = due;
      if (!completed) summary.hasPendingHarvest = true;
    }
    if (template.activityType === 'TRANSFER' && !completed) summary.hasPendingTransfer = true;
    ctx.sink.emit('planning_plannedactivity', {
      id: ctx.ids.next('planning_plannedactivity'),
      activity_type: template.activityType,
      due_date: due,
      status: completed ? 'COMPLETED' : 'PENDING',
      notes: template.notes,
      created_at: createdAt,
      updated_at: createdAt,
      completed_at: completed ? timestamp(due, '00:00') : null,
      batch_id: ctx.batchId,
      completed_by_id: completed ? adminId : null,
      container_id: null,
      created_by_id: adminId,
      scenario_id: scenarioId,
      transfer_workflow_id: null,
    });
  }
  return summary;
}
