/**
 * A batch's incidents as the engine uses them: the batch day, the containers touched (from the
 * plan, as the schedule resolved them), and the incident's own random stream, so an incident
 * never shifts the numbers of the routine streams.
 */
import { incidentContainers, whereabouts } from '../../schedule/incidents/whereabouts.js';
import { type Incident } from '../../schedule/incident-types.js';
import type { Assignment } from '../assignments.js';
import type { BatchContext } from '../context.js';
import { Rng } from '../../core/rng.js';
import { dayNumber } from '../../core/time.js';

export interface TargetedIncident<I extends Incident = Incident> {
  readonly incident: I;
  /** Batch-relative day. */
  readonly d: number;
  /** Stage order on that day. */
  readonly order: number;
  readonly atSea: boolean;
  /** Holding containers touched, in plan order. */
  readonly containerNames: readonly string[];
  readonly containerIds: readonly number[];
  readonly rng: Rng;
}

/** The batch's incidents in schedule order (the position in the schedule names the stream). */
export function targetedIncidents(ctx: BatchContext): TargetedIncident[] {
  const { schedule, plan } = ctx;
  const out: TargetedIncident[] = [];
  (schedule.incidents ?? []).forEach((incident, k) => {
    if (incident.batch !== plan.batchNumber) return;
    const d = dayNumber(incident.day) - ctx.startDay;
    const where = whereabouts(plan, schedule.stageDays, d);
    const containerNames = incident.kind === 'harvest-overdue' ? [] : incidentContainers(incident, plan, schedule.stageDays);
    const containerIds = containerNames.map((name) => {
      const id = ctx.farm.containerIdByName.get(name);
      if (id === undefined) throw new Error(`incident ${k} (${incident.kind}) of ${plan.batchNumber}: container ${name} is not in the farm`);
      return id;
    });
    out.push({ incident, d, order: where.order, atSea: where.atSea, containerNames, containerIds, rng: new Rng(schedule.seed, plan.index, 'incident', k) });
  });
  return out;
}

/** The assignments holding the incident's containers today; a container gone is a planning error. */
export function assignmentsOf(target: TargetedIncident, active: readonly Assignment[]): Assignment[] {
  return target.containerIds.map((id, i) => {
    const assignment = active.find((a) => a.container.id === id);
    if (!assignment) {
      throw new Error(
        `incident ${target.incident.kind} of ${target.incident.batch} on ${target.incident.day}: ${target.containerNames[i]} holds none of the batch's fish that day`,
      );
    }
    return assignment;
  });
}
