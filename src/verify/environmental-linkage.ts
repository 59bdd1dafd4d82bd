/** Environmental readings → assignment (batch, container, and in place at the reading's UTC day). */
import { linkageCheck } from './linkage.js';
import { utcDate } from './fragments.js';
import type { FarmTarget } from './target.js';
import type { CheckResult } from './types.js';

export function environmentalLinkage(target: FarmTarget): Promise<CheckResult> {
  return linkageCheck(target, {
    name: 'environmentalLinkage',
    label: 'environmental linkage',
    noun: ['reading', 'readings'],
    table: 'environmental_environmentalreading',
    assignmentColumn: 'batch_container_assignment_id',
    containerColumn: 'container_id',
    date: utcDate('r.reading_time'),
  });
}
