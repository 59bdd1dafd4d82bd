/**
 * Where a batch is on one of its days, from its plan alone: its stage, and the containers holding
 * its fish (a hall's ashore, the rings of its sea area at sea). The resolution checks incidents
 * against it; the engine (src/engine/incidents/targets.ts) finds an incident's containers with it.
 */
import { feedContainerOf } from '../../core/layout.js';
import { stageOrderOn } from '../../core/stages.js';
import { dayNumber } from '../../core/time.js';
import type { Incident } from '../incident-types.js';
import type { BatchPlan } from '../types.js';

/** Where a batch is on one of its days. */
export interface Whereabouts {
  /** Batch-relative day. */
  d: number;
  order: number;
  atSea: boolean;
  /** Containers holding the batch's fish that day, in plan order. */
  containers: readonly string[];
  /** The sea area (at sea) or the hall (ashore). */
  place: string;
}

/** Where the batch is on batch day `d`: its stage and the containers holding its fish (from the plan). */
export function whereabouts(plan: BatchPlan, stageDays: number, d: number): Whereabouts {
  const order = stageOrderOn(d, stageDays);
  if (order === 6) {
    const sea = plan.sea;
    return { d, order, atSea: true, containers: sea ? sea.rings : [], place: sea ? sea.area : '(no sea allocation)' };
  }
  const allocation = plan.freshwater.find((f) => f.startDay <= d && d < f.endDay);
  return { d, order, atSea: false, containers: allocation?.containers ?? [], place: allocation?.hall ?? '(no hall allocated)' };
}

/**
 * The holding containers an incident touches on its day: the one it names, every ring of its area,
 * or every container of the batch. A feed shortage named by its silo or barge touches the
 * containers fed from it.
 */
export function incidentContainers(incident: Incident, plan: BatchPlan, stageDays: number): string[] {
  const where = whereabouts(plan, stageDays, dayNumber(incident.day) - dayNumber(plan.startDate));
  const named = 'container' in incident ? incident.container : undefined;
  if (named === undefined) return [...where.containers];
  if (where.containers.includes(named)) return [named];
  return where.containers.filter((container) => feedContainerOf(container) === named);
}

/** A container name, or the unique container whose name ends with `-<value>`; with `feedContainers`, their silos and barges too. */
export function matchContainer(value: string, held: readonly string[], feedContainers: boolean): string | null {
  const candidates = feedContainers ? [...held, ...new Set(held.map(feedContainerOf))] : [...held];
  if (candidates.includes(value)) return value;
  const suffix = candidates.filter((name) => name.endsWith(`-${value}`));
  return suffix.length === 1 ? (suffix[0] as string) : null;
}
