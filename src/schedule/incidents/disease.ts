/**
 * `disease`, the schedule's half: fish to sample (from the first Fry day on) and the diagnosis
 * (default INCIDENT.disease.defaultName). The engine's half (the investigation) is
 * src/engine/incidents/disease.ts.
 */
import { z } from 'zod';
import { STAGE_NAMES } from '../../core/stages.js';
import { isoDate } from '../../core/time.js';
import { INCIDENT } from '../../core/tuning.js';
import type { IncidentOf } from '../incident-types.js';
import { name, placement } from './fields.js';
import type { Resolution, Resolving } from './resolution.js';

export const diseaseSchema = z.object({ kind: z.literal('disease'), ...placement, disease: name.optional() }).strict();

export function resolveDisease(res: Resolution, r: Resolving<'disease'>): IncidentOf<'disease'> | null {
  const { input, at, plan, where, base, placed, start } = r;
  if (where.order < 2) {
    res.problem(`${at}.day`, input.day, `batch ${plan.batchNumber} is in ${STAGE_NAMES[0]} on ${base.day}: no fish to sample yet`, `pick a day from its first ${STAGE_NAMES[1]} day (${isoDate(start + res.schedule.stageDays)}) on`);
    return null;
  }
  return { kind: 'disease', ...base, ...placed, disease: input.disease ?? INCIDENT.disease.defaultName };
}
