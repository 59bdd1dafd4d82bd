/**
 * `oxygen-drop` and `temperature-spike`, the schedule's half: a window of whole hours within the
 * day, and an extreme outside the sensor's safe range (AquaMind's, core/domain.ts) where the batch
 * is that day. The engine's half (the readings) is src/engine/incidents/sensor-excursion.ts.
 */
import { z } from 'zod';
import { SENSOR_SAFE_RANGE } from '../../core/domain.js';
import { INCIDENT } from '../../core/tuning.js';
import type { IncidentOf } from '../incident-types.js';
import { hour, hours, placement } from './fields.js';
import type { Resolution, Resolving } from './resolution.js';

export const oxygenDropSchema = z
  .object({ kind: z.literal('oxygen-drop'), ...placement, from: hour.optional(), hours: hours.optional(), minPercent: z.number().min(0).max(100).optional() })
  .strict();

export const temperatureSpikeSchema = z
  .object({ kind: z.literal('temperature-spike'), ...placement, from: hour.optional(), hours: hours.optional(), peakC: z.number().min(-5).max(40).optional() })
  .strict();

export function resolveSensorExcursion(
  res: Resolution,
  r: Resolving<'oxygen-drop'> | Resolving<'temperature-spike'>,
): IncidentOf<'oxygen-drop'> | IncidentOf<'temperature-spike'> | null {
  const { at, where, base, placed } = r;
  const from = r.input.from ?? INCIDENT.sensor.defaultFrom;
  const length = r.input.hours ?? INCIDENT.sensor.defaultHours;
  if (Number(from.slice(0, 2)) + length > 24) {
    res.problem(`${at}.hours`, length, `from ${from} for ${length} hours runs past midnight`, `give at most ${24 - Number(from.slice(0, 2))} hours, or start earlier`);
    return null;
  }
  if (r.input.kind === 'oxygen-drop') {
    const minPercent = r.input.minPercent ?? INCIDENT.sensor.defaultMinOxygenPercent;
    const safe = SENSOR_SAFE_RANGE.oxygenPercent;
    if (minPercent >= safe.min - 2 || minPercent < 10) {
      res.problem(`${at}.minPercent`, minPercent, `an oxygen drop must fall below the safe range (${safe.min}-${safe.max} %)`, `give a minPercent from 10 to below ${safe.min - 2}`);
      return null;
    }
    return { kind: 'oxygen-drop', ...base, ...placed, from, hours: length, minPercent };
  }
  const safe = SENSOR_SAFE_RANGE.temperatureC[where.atSea ? 'sea' : 'freshwater'];
  const peakC = r.input.peakC ?? safe.max + INCIDENT.sensor.defaultExcessC;
  if (peakC <= safe.max + 0.5 || peakC > 35) {
    res.problem(
      `${at}.peakC`,
      peakC,
      `a temperature spike must rise above the safe range (${safe.min}-${safe.max} °C ${where.atSea ? 'at sea' : 'in freshwater'}, where the batch is on ${base.day})`,
      `give a peakC above ${safe.max + 0.5}, at most 35`,
    );
    return null;
  }
  return { kind: 'temperature-spike', ...base, ...placed, from, hours: length, peakC };
}
