/**
 * `oxygen-drop` and `temperature-spike`: a container's dissolved oxygen or temperature sensor reads
 * outside its safe range for the incident's hours. Inside the window the routine readings (06, 08,
 * 10, 14, 16, 18 h) carry the incident's values and the sensor logs every other hour too, so the
 * excursion shows hour by hour. The values dip (or peak) towards the incident's extreme in the
 * middle of the window; every one of them is out of range. Nothing else changes: the day's mean
 * temperature that growth and the daily states use is the routine one.
 */
import type { Incident, IncidentOf } from '../../schedule/incident-types.js';
import type { BatchContext } from '../context.js';
import type { SensorExcursion, SensorExcursions } from '../environment.js';
import type { Rng } from '../../core/rng.js';
import { SENSOR_SAFE_RANGE } from '../../core/domain.js';
import { READING_TIMES } from '../../core/tuning.js';
import type { TargetedIncident } from './targets.js';

const ROUTINE_HOURS = new Set(READING_TIMES.map((time) => Number(time.slice(0, 2))));
/** How far inside the unsafe side the window's edges stay (% DO, °C). */
const EDGE_MARGIN = { oxygen: 2, temperature: 1 } as const;
const NOISE = { oxygen: 0.4, temperature: 0.15 } as const;

type SensorIncident = IncidentOf<'oxygen-drop'> | IncidentOf<'temperature-spike'>;

export function isSensorIncident(incident: Incident): incident is SensorIncident {
  return incident.kind === 'oxygen-drop' || incident.kind === 'temperature-spike';
}

export class SensorIncidents implements SensorExcursions {
  private readonly byDay = new Map<number, Map<number, SensorExcursion[]>>();

  constructor(ctx: BatchContext, incidents: readonly TargetedIncident<SensorIncident>[]) {
    for (const { incident, d, containerIds, atSea, rng } of incidents) {
      const oxygen = incident.kind === 'oxygen-drop';
      const parameter = ctx.farm.parameters.find((p) => p.name === (oxygen ? 'Dissolved Oxygen' : 'Temperature'));
      if (!parameter) throw new Error(`the farm has no ${oxygen ? 'Dissolved Oxygen' : 'Temperature'} parameter for incident ${incident.kind}`);
      let day = this.byDay.get(d);
      if (!day) this.byDay.set(d, (day = new Map()));
      for (const containerId of containerIds) {
        const excursion = windowOf(incident, parameter.id, atSea, rng);
        const list = day.get(containerId);
        if (list) list.push(excursion);
        else day.set(containerId, [excursion]);
      }
    }
  }

  on(d: number): ReadonlyMap<number, readonly SensorExcursion[]> | undefined {
    return this.byDay.get(d);
  }
}

/** One container's readings over the window, drawn now (deterministic: the incident's own stream). */
function windowOf(incident: SensorIncident, parameterId: number, atSea: boolean, rng: Rng): SensorExcursion {
  const from = Number(incident.from.slice(0, 2));
  const shape = Array.from({ length: incident.hours }, (_, k) => Math.sin((Math.PI * (k + 0.5)) / incident.hours));
  const deepest = Math.max(...shape);
  const values = shape.map((s) => {
    const depth = s / deepest;
    if (incident.kind === 'oxygen-drop') {
      const edge = SENSOR_SAFE_RANGE.oxygenPercent.min - EDGE_MARGIN.oxygen;
      return edge - (edge - incident.minPercent) * depth + NOISE.oxygen * (2 * rng.next() - 1) * Math.min(1, 1 - depth + 0.25);
    }
    const edge = SENSOR_SAFE_RANGE.temperatureC[atSea ? 'sea' : 'freshwater'].max + EDGE_MARGIN.temperature;
    return edge + (incident.peakC - edge) * depth + NOISE.temperature * (2 * rng.next() - 1) * Math.min(1, 1 - depth + 0.25);
  });
  const hours = values.map((_, k) => from + k);
  return {
    parameterId,
    valueAt: (hour) => (hour >= from && hour < from + values.length ? values[hour - from] : undefined),
    extraHours: hours.filter((hour) => !ROUTINE_HOURS.has(hour)),
  };
}
