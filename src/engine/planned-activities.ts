/**
 * `planning_plannedactivity`: the activities of AquaMind's DAY_OFFSET templates (20) for every batch
 * ACTIVE at the farm's "now" (completed batches get none, as AquaMind's `seed_planned_activities.py`
 * skipped them), due start + offset, in the batch's scenario, created by `admin`. They are dated as
 * AquaMind's own post_save signal on a new batch would have made them: created with the baseline
 * scenario on day 0, PENDING; each is saved COMPLETED by `admin` at noon of its due date once that
 * is past "now" (a `~` row of its history), so what is due later is still PENDING. Two departures a
 * schedule asks for: `overdueActivityDays` leaves those due in the last days before asOf PENDING
 * (overdue), and an overdue-harvest incident moves the HARVEST activity to the day it was due.
 */
import type { BatchContext } from './context.js';
import { dayNumber, isoDate, timestamp } from '../core/time.js';

/** When a planned activity due on a day is done: midday of that day. */
const COMPLETION_TIME = '12:00';

export interface PlannedActivitySummary {
  /** Due date of the HARVEST activity, if any. */
  harvestDue: string | null;
  hasPendingHarvest: boolean;
  hasPendingTransfer: boolean;
}

/** The batch's planned activities, created at `createdAt` (the baseline scenario's creation). */
export function emitPlannedActivities(ctx: BatchContext, scenarioId: number, createdAt: string, harvestDueOn: string | null = null): PlannedActivitySummary {
  const { farm, schedule } = ctx;
  // Due from this day on and the farm has not got to it yet: overdue.
  const overdueFrom = schedule.overdueActivityDays ? isoDate(dayNumber(schedule.asOf) - schedule.overdueActivityDays) : null;
  const adminId = farm.users.adminId;
  const summary: PlannedActivitySummary = { harvestDue: null, hasPendingHarvest: false, hasPendingTransfer: false };
  for (const template of farm.activityTemplates) {
    const overdueHarvest = harvestDueOn !== null && template.activityType === 'HARVEST';
    const due = overdueHarvest ? harvestDueOn : isoDate(ctx.startDay + template.dayOffset);
    const completedAt = timestamp(due, COMPLETION_TIME);
    const completed = !overdueHarvest && completedAt <= ctx.now && (overdueFrom === null || due < overdueFrom);
    if (template.activityType === 'HARVEST') {
      summary.harvestDue = due;
      if (!completed) summary.hasPendingHarvest = true;
    }
    if (template.activityType === 'TRANSFER' && !completed) summary.hasPendingTransfer = true;
    const activity = ctx.sink.track(
      'planning_plannedactivity',
      {
        id: ctx.ids.next('planning_plannedactivity'),
        activity_type: template.activityType,
        due_date: due,
        status: 'PENDING',
        notes: template.notes,
        created_at: createdAt,
        updated_at: createdAt,
        completed_at: null,
        batch_id: ctx.batchId,
        completed_by_id: null,
        container_id: null,
        created_by_id: adminId,
        scenario_id: scenarioId,
        transfer_workflow_id: null,
      },
      createdAt,
      adminId,
    );
    if (completed) activity.change({ status: 'COMPLETED', completed_at: completedAt, completed_by_id: adminId }, completedAt);
    activity.close();
  }
  return summary;
}
