/**
 * `mortality-spike`, the kind's shared definition: its shape, its resolution (at most
 * INCIDENT.mortality.maxShare of the fish die) and the description that marks its mortality
 * events. The engine (src/engine/incidents/mortality-spike.ts) writes that description; verify
 * recognises the incident's deaths by it, so both read it from here.
 */
import { z } from 'zod';
import { INCIDENT } from '../../core/tuning.js';
import { MORTALITY_REASON_NAMES, type IncidentOf } from '../incident-types.js';
import { placement } from './fields.js';
import type { Resolution, Resolving } from './resolution.js';

/** How a spike's `batch_mortalityevent` descriptions start (`Mortality spike: Disease - …`). */
export const MORTALITY_SPIKE_DESCRIPTION = 'Mortality spike';

export const mortalitySpikeSchema = z
  .object({ kind: z.literal('mortality-spike'), ...placement, cause: z.enum(MORTALITY_REASON_NAMES), share: z.number().gt(0).max(1).optional() })
  .strict();

export function resolveMortalitySpike(res: Resolution, r: Resolving<'mortality-spike'>): IncidentOf<'mortality-spike'> | null {
  const { input, at, base, placed } = r;
  const share = input.share ?? INCIDENT.mortality.defaultShare;
  if (share > INCIDENT.mortality.maxShare) {
    res.problem(`${at}.share`, share, `more than ${INCIDENT.mortality.maxShare * 100} % of the fish would die`, `give a share up to ${INCIDENT.mortality.maxShare}`);
    return null;
  }
  return { kind: 'mortality-spike', ...base, ...placed, cause: input.cause, share };
}
