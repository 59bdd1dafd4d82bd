/**
 * The state of one schedule's incident resolution, shared by the kinds and the steps that place an
 * incident: the schedule, what "today" is, the problems found so far (reported together), and the
 * batches whose harvest waits past asOf. `Resolving` is what a kind's resolver gets: an incident
 * already placed on its batch, day and containers.
 */
import { dayNumber } from '../../core/time.js';
import type { Clock } from '../dates.js';
import type { IncidentInputOf, IncidentKind } from '../incident-types.js';
import type { BatchPlan, Schedule } from '../types.js';
import { whereabouts, type Whereabouts } from './whereabouts.js';

export const DOCS = 'docs/incidents.md';

/** What resolution reads of a schedule. */
export type ResolvableSchedule = Pick<Schedule, 'asOf' | 'stageDays' | 'adultMaxDays' | 'batches'>;

export class Resolution {
  readonly asOf: number;
  readonly problems: { text: string; fix: string }[] = [];
  /** Batches whose harvest waits past asOf (harvest-overdue): they stay in the water until then. */
  readonly heldPastAsOf = new Set<string>();

  constructor(
    readonly schedule: ResolvableSchedule,
    readonly clock: Clock | undefined,
  ) {
    this.asOf = dayNumber(schedule.asOf);
  }

  problem(path: string, value: unknown, what: string, fix: string): void {
    this.problems.push({ text: `${path}${value === undefined ? '' : ` = ${JSON.stringify(value)}`}: ${what}`, fix });
  }

  /** `fn`'s result with any problem it reports dropped (a probe; the real resolution reports them). */
  quietly<T>(fn: () => T): T {
    const problems = this.problems.length;
    const result = fn();
    this.problems.length = problems;
    return result;
  }

  whereabouts(plan: BatchPlan, d: number): Whereabouts {
    return whereabouts(plan, this.schedule.stageDays, d);
  }
}

/** An incident of kind K placed on its batch and day, for its kind's resolver. */
export interface Resolving<K extends IncidentKind> {
  input: IncidentInputOf<K>;
  /** The incident's path in the caller's input (`incidents[2]`). */
  at: string;
  plan: BatchPlan;
  where: Whereabouts;
  /** The canonical batch number and date. */
  base: { batch: string; day: string };
  /** The canonical container or area, if the input named one. */
  placed: { container?: string; area?: string };
  /** Day number of the batch's start, of the incident's day, the batch day, and the batch's last day an incident may fall on. */
  start: number;
  dayNumber: number;
  d: number;
  lifeEnd: number;
  /** "batch X lives from … to …", for messages. */
  life: string;
}

/** `A, B, C` or `A … Z (20)`. */
export function listNames(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  if (names.length <= 6) return names.join(', ');
  return `${names[0]} … ${names[names.length - 1]} (${names.length})`;
}
