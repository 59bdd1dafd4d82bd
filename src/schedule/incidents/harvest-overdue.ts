/**
 * `harvest-overdue`, the schedule's half: a batch at sea on asOf, not yet past its Adult limit,
 * whose rings stay booked through asOf (the planner books them so for a preset's own incidents,
 * ../allocation.ts). It changes how long the batch lives for every other incident, so it resolves
 * first. The engine's half (the campaign waits, the HARVEST activity stays PENDING) is
 * src/engine/incidents/index.ts and src/engine/harvest.ts.
 */
import { z } from 'zod';
import { seaTransferDay } from '../../core/stages.js';
import { dayNumber, isoDate } from '../../core/time.js';
import { campaignDays } from '../harvest-window.js';
import type { IncidentInput, IncidentOf } from '../incident-types.js';
import type { BatchPlan } from '../types.js';
import { lifeEnd, seaFix } from './days.js';
import { day, name } from './fields.js';
import type { Resolution } from './resolution.js';
import type { Whereabouts } from './whereabouts.js';

export const harvestOverdueSchema = z.object({ kind: z.literal('harvest-overdue'), batch: name, day }).strict();

export function resolveHarvestOverdue(res: Resolution, plan: BatchPlan, where: Whereabouts, base: { batch: string; day: string }, at: string): IncidentOf<'harvest-overdue'> | null {
  const { stageDays, adultMaxDays } = res.schedule;
  const start = dayNumber(plan.startDate);
  const seaDay = seaTransferDay(stageDays);
  if (!where.atSea || !plan.sea) {
    res.problem(`${at}.day`, base.day, `batch ${plan.batchNumber} is ashore on ${base.day}; only a batch at sea is harvested`, seaFix(res, plan, lifeEnd(res, plan)));
    return null;
  }
  const asOfD = res.asOf - start;
  const forcedFrom = seaDay + adultMaxDays - campaignDays(plan.sea.rings.length) + 1;
  if (asOfD >= forcedFrom) {
    res.problem(
      `${at}.batch`,
      plan.batchNumber,
      `on asOf the batch is past its Adult limit (${adultMaxDays} days at sea, harvest forced from ${isoDate(start + forcedFrom)}): it cannot still be in the water`,
      'pick a batch that went to sea less than adultMaxDays before asOf',
    );
    return null;
  }
  if (plan.sea.endDay <= asOfD) {
    res.problem(
      `${at}.batch`,
      plan.batchNumber,
      `its rings are booked until ${isoDate(start + plan.sea.endDay)} (sea.endDay ${plan.sea.endDay}), but an overdue harvest keeps the fish in them through asOf`,
      `plan the incident in the preset (the planner then books the rings through asOf), or set sea.endDay to at least ${asOfD + 1} if no other batch holds those rings then`,
    );
    return null;
  }
  return { kind: 'harvest-overdue', ...base };
}

/** The batch numbers a preset's harvest-overdue incidents name, matched against the planned batch numbers. */
export function overdueHarvestBatches(inputs: readonly IncidentInput[], batchNumbers: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const input of inputs) {
    if (input.kind !== 'harvest-overdue') continue;
    const exact = batchNumbers.find((n) => n === input.batch);
    const rung = batchNumbers.filter((n) => n.endsWith(`-${input.batch}`));
    const found = exact ?? (rung.length === 1 ? rung[0] : undefined);
    if (found) out.add(found);
  }
  return out;
}
