/** Feeding events → assignment (batch, container, and in place on the feeding date). */
import { sql } from 'kysely';
import { linkageCheck } from './linkage.js';
import type { FarmTarget } from './target.js';
import type { CheckResult } from './types.js';

export function feedingLinkage(target: FarmTarget): Promise<CheckResult> {
  return linkageCheck(target, {
    name: 'feedingLinkage',
    label: 'feeding linkage',
    noun: ['feeding event', 'feeding events'],
    table: 'inventory_feedingevent',
    assignmentColumn: 'batch_assignment_id',
    containerColumn: 'container_id',
    date: sql.ref('r.feeding_date'),
  });
}
