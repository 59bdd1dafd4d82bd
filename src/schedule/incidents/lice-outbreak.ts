/**
 * `lice-outbreak`, the schedule's half: at sea only, and unless untreated the bath treatment the
 * next day must still fall within the batch's life. The engine's half (the counts and the bath)
 * is src/engine/incidents/lice-outbreak.ts.
 */
import { z } from 'zod';
import { STAGE_NAMES } from '../../core/stages.js';
import { isoDate } from '../../core/time.js';
import type { IncidentOf } from '../incident-types.js';
import { seaFix } from './days.js';
import { placement } from './fields.js';
import type { Resolution, Resolving } from './resolution.js';

export const liceOutbreakSchema = z.object({ kind: z.literal('lice-outbreak'), ...placement, untreated: z.boolean().optional() }).strict();

export function resolveLiceOutbreak(res: Resolution, r: Resolving<'lice-outbreak'>): IncidentOf<'lice-outbreak'> | null {
  const { input, at, plan, where, base, placed, start, d, lifeEnd, life } = r;
  if (!where.atSea) {
    res.problem(`${at}.day`, input.day, `batch ${plan.batchNumber} is in ${STAGE_NAMES[where.order - 1]} ashore on ${base.day}; sea lice live at sea`, seaFix(res, plan, lifeEnd));
    return null;
  }
  const untreated = input.untreated ?? false;
  if (!untreated && d + 1 > lifeEnd) {
    res.problem(`${at}.day`, input.day, `the bath treatment would fall on ${isoDate(start + d + 1)}, after the batch's last day (${life})`, 'pick an earlier day, or set untreated: true');
    return null;
  }
  return { kind: 'lice-outbreak', ...base, ...placed, untreated };
}
