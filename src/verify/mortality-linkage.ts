/**
 * Mortality events → assignment. The event has no container column, so batch and dates are what
 * can be checked; the assignment's container is the event's container by construction.
 */
import { sql } from 'kysely';
import { linkageCheck } from './linkage.js';
import type { FarmTarget } from './target.js';
import type { CheckResult } from './types.js';

export function mortalityLinkage(target: FarmTarget): Promise<CheckResult> {
  return linkageCheck(target, {
    name: 'mortalityLinkage',
    label: 'mortality linkage',
    noun: ['mortality event', 'mortality events'],
    table: 'batch_mortalityevent',
    assignmentColumn: 'assignment_id',
    containerColumn: null,
    date: sql.ref('r.event_date'),
  });
}
