/**
 * Resolution of what a user writes (`IncidentInput`) against the planned batches into the
 * schedule's canonical form (`Incident`): the batch by its number, the day as a date, the
 * container by its full name, every parameter with its default filled in. Each incident is placed
 * here (batch, day, containers: ./placement.ts, ./days.ts), then its kind's module checks what
 * only that kind needs. What the engine could not honour is refused, every problem at once,
 * naming the field path and the fix.
 */
import { AquaseedError } from '../../core/errors.js';
import { dayNumber, isoDate } from '../../core/time.js';
import type { Clock } from '../dates.js';
import type { Incident, IncidentInput, IncidentKind } from '../incident-types.js';
import type { Schedule } from '../types.js';
import { incidentDay, lifeEnd } from './days.js';
import { resolveDisease } from './disease.js';
import { resolveFeedShortage } from './feed-shortage.js';
import { resolveHarvestOverdue } from './harvest-overdue.js';
import { resolveLiceOutbreak } from './lice-outbreak.js';
import { resolveMortalitySpike } from './mortality-spike.js';
import { batchHolding, findBatch, geographyHint, placement } from './placement.js';
import { DOCS, Resolution, type ResolvableSchedule, type Resolving } from './resolution.js';
import { resolveSensorExcursion } from './sensor-excursion.js';

type PlacedKind = Exclude<IncidentKind, 'harvest-overdue'>;

/** Each placed kind's own checks and defaults (harvest-overdue is resolved before placement). */
const RESOLVERS: { [K in PlacedKind]: (res: Resolution, r: Resolving<K>) => Incident | null } = {
  'lice-outbreak': resolveLiceOutbreak,
  'oxygen-drop': resolveSensorExcursion,
  'temperature-spike': resolveSensorExcursion,
  'mortality-spike': resolveMortalitySpike,
  disease: resolveDisease,
  'feed-shortage': resolveFeedShortage,
};

/**
 * Resolves incidents against a schedule's batches: canonical incidents, or an AquaseedError listing
 * the problems by field path (`incidents[1].container = "Ring-21": …; fix`). `pathOf(i)` names the
 * i-th incident in the caller's input (default `incidents[i]`).
 */
export function resolveIncidents(
  schedule: ResolvableSchedule,
  inputs: readonly IncidentInput[],
  source: string,
  options: { clock?: Clock; pathOf?: (i: number) => string } = {},
): Incident[] {
  const res = new Resolution(schedule, options.clock);
  const pathOf = options.pathOf ?? ((i: number) => `incidents[${i}]`);
  // Harvest-overdue first: it decides how long its batch lives for every other incident.
  inputs.forEach((input, i) => {
    if (input.kind !== 'harvest-overdue') return;
    // Problems are reported when the incident itself resolves.
    const plan = res.quietly(() => findBatch(res, input, pathOf(i), null));
    if (plan) res.heldPastAsOf.add(plan.batchNumber);
  });
  const out: Incident[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, i) => {
    const at = pathOf(i);
    const incident = resolveOne(res, input, at);
    if (!incident) return;
    // One harvest-overdue and one feed-shortage per batch: each changes the batch as a whole.
    if (incident.kind === 'harvest-overdue' || incident.kind === 'feed-shortage') {
      const key = `${incident.kind} ${incident.batch}`;
      const first = seen.get(key);
      if (first !== undefined) {
        res.problem(`${at}.kind`, incident.kind, `batch ${incident.batch} already has a ${incident.kind} (${pathOf(first)})`, 'keep one per batch');
        return;
      }
      seen.set(key, i);
    }
    out.push(incident);
  });
  throwProblems(res.problems, source);
  return out;
}

function throwProblems(problems: readonly { text: string; fix: string }[], source: string): void {
  const [only] = problems;
  if (only && problems.length === 1) {
    throw new AquaseedError('AQUASEED_INVALID_SCHEDULE', `${source}: ${only.text}`, `${only.fix} (see ${DOCS})`);
  }
  if (problems.length > 1) {
    const shown = problems.slice(0, 5).map((p) => `${p.text} (fix: ${p.fix})`);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    throw new AquaseedError(
      'AQUASEED_INVALID_SCHEDULE',
      `${source}: ${problems.length} incident problems:\n  ${shown.join('\n  ')}${more}`,
      `fix each incident as its line says (see ${DOCS} for every kind, its fields and when it can happen)`,
    );
  }
}

/** One incident: its batch, day and place, then its kind's own checks; null after a problem. */
function resolveOne(res: Resolution, input: IncidentInput, at: string): Incident | null {
  const hint = input.kind === 'harvest-overdue' ? null : geographyHint(input.container ?? input.area);
  let plan = input.batch === undefined ? null : findBatch(res, input, at, hint);
  if (input.batch !== undefined && !plan) return null;
  const dayNumberOf = incidentDay(res, input.day, plan, `${at}.day`);
  if (dayNumberOf === null) return null;
  if (!plan) {
    if (input.kind === 'harvest-overdue' || input.container === undefined) {
      res.problem(`${at}.batch`, undefined, 'an incident needs its batch', 'give batch (a batch number, or a ladder rung label such as UAT-105), or a container only one batch holds that day');
      return null;
    }
    plan = batchHolding(res, input.container, dayNumberOf, at);
    if (!plan) return null;
  }
  const start = dayNumber(plan.startDate);
  const d = dayNumberOf - start;
  const last = lifeEnd(res, plan);
  const life = `batch ${plan.batchNumber} lives from ${plan.startDate} to ${isoDate(start + last)}${last === res.asOf - start ? ` (asOf)` : ' (its earliest possible harvest starts the next day)'}`;
  if (d < 0 || d > last) {
    res.problem(`${at}.day`, input.day, `${isoDate(dayNumberOf)} is outside the batch's life: ${life}`, `pick a day from ${plan.startDate} to ${isoDate(start + last)}`);
    return null;
  }
  const where = res.whereabouts(plan, d);
  const base = { batch: plan.batchNumber, day: isoDate(dayNumberOf) };
  if (input.kind === 'harvest-overdue') return resolveHarvestOverdue(res, plan, where, base, at);
  const placed = placement(res, input, plan, where, at);
  if (!placed) return null;
  const resolve = RESOLVERS[input.kind] as (res: Resolution, r: Resolving<PlacedKind>) => Incident | null;
  return resolve(res, { input, at, plan, where, base, placed, start, dayNumber: dayNumberOf, d, lifeEnd: last, life });
}

/** The schedule with its incidents, placed before the (long) batch list so a schedule file shows them first. */
export function withIncidents(schedule: Schedule, incidents: Incident[]): Schedule {
  const { batches, incidents: _old, ...head } = schedule;
  return { ...head, incidents, batches };
}
