/**
 * An incident's day and the days it may fall on: a date, asOf-relative, today-relative or a batch
 * day resolved to a day number, and the last day of a batch's life an incident may touch.
 */
import { seaTransferDay } from '../../core/stages.js';
import { dayNumber, isoDate } from '../../core/time.js';
import { resolveDate } from '../dates.js';
import { campaignDays, lastHarvestDay } from '../harvest-window.js';
import type { IncidentDay } from '../incident-types.js';
import type { BatchPlan } from '../types.js';
import type { Resolution } from './resolution.js';

/** The incident's day as a day number; null after a problem. */
export function incidentDay(res: Resolution, value: IncidentDay, plan: BatchPlan | null, at: string): number | null {
  if (typeof value === 'number') {
    if (!plan) {
      res.problem(at, value, 'a batch day needs the batch it counts from', 'give batch, or a date');
      return null;
    }
    return dayNumber(plan.startDate) + value;
  }
  const relative = /^asOf(?:-(\d{1,4})d)?$/.exec(value);
  if (relative) return res.asOf - Number(relative[1] ?? 0);
  try {
    return dayNumber(resolveDate(value, at, res.clock));
  } catch (error) {
    res.problem(at, value, (error as Error).message, 'give a date (2025-11-19), asOf, asOf-<n>d or a batch day');
    return null;
  }
}

/**
 * The batch's last day an incident may fall on: asOf, or for a batch that may be harvested by
 * then, the day before its earliest possible harvest (a ring may be empty from that day on).
 */
export function lifeEnd(res: Resolution, plan: BatchPlan): number {
  const start = dayNumber(plan.startDate);
  const end = res.asOf - start;
  if (!plan.sea || res.heldPastAsOf.has(plan.batchNumber)) return end;
  const rings = plan.sea.rings.length;
  const input = {
    geography: plan.geography,
    startDay: start,
    stageDays: res.schedule.stageDays,
    adultMaxDays: res.schedule.adultMaxDays,
    harvestTargetKg: plan.harvestTargetKg,
    rings,
  };
  const earliestCampaign = lastHarvestDay(input, 'best') - campaignDays(rings) + 1;
  return Math.min(end, earliestCampaign - 1);
}

/** Where to move an incident that needs the sea. */
export function seaFix(res: Resolution, plan: BatchPlan, lastDay: number): string {
  const start = dayNumber(plan.startDate);
  const seaDay = seaTransferDay(res.schedule.stageDays);
  return seaDay <= lastDay
    ? `pick a day from its sea transfer (${isoDate(start + seaDay)}) to ${isoDate(start + lastDay)}`
    : `the batch reaches the sea only on ${isoDate(start + seaDay)}, after ${isoDate(start + lastDay)}: pick a batch at sea then`;
}
