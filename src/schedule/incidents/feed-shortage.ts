/**
 * `feed-shortage`, the schedule's half: a fed batch (from the first Fry day on), named by a
 * container or by the silo or barge feeding it, short for `days` (default: through asOf). The
 * engine's half (re-orders held back, part-loads) is src/engine/incidents/feed-shortage.ts.
 */
import { z } from 'zod';
import { STAGE_NAMES } from '../../core/stages.js';
import { isoDate } from '../../core/time.js';
import type { IncidentOf } from '../incident-types.js';
import { placement } from './fields.js';
import type { Resolution, Resolving } from './resolution.js';

export const feedShortageSchema = z.object({ kind: z.literal('feed-shortage'), ...placement, days: z.number().int().min(1).max(3650).optional() }).strict();

export function resolveFeedShortage(res: Resolution, r: Resolving<'feed-shortage'>): IncidentOf<'feed-shortage'> | null {
  const { input, at, plan, where, base, placed, start } = r;
  if (where.order < 2) {
    res.problem(`${at}.day`, input.day, `batch ${plan.batchNumber} is in ${STAGE_NAMES[0]} on ${base.day}: it is not fed yet`, `pick a day from its first ${STAGE_NAMES[1]} day (${isoDate(start + res.schedule.stageDays)}) on`);
    return null;
  }
  return { kind: 'feed-shortage', ...base, ...placed, days: input.days ?? res.asOf - r.dayNumber + 1 };
}
