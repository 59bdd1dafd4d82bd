/**
 * Schedule files: `aquaseed plan <preset> -o schedule.yaml` writes one, `seed`/`up`/`key` read one
 * back. The file is the schedule in the planner's key order (lists of names on one line), with a
 * comment header; reading validates it (validate.ts). Writing and reading give back an equal
 * schedule, so a preset and its planned file have the same cache key.
 */
import { Document, isScalar, visit } from 'yaml';
import { formatPosition, parseWithPositions, type Locate } from './yaml-positions.js';
import { AquaseedError } from '../core/errors.js';
import { validateSchedule } from './validate.js';
import type { Schedule } from './types.js';
import type { PlanOptions } from './plan.js';

/** The schedule as YAML text (deterministic: the same schedule gives the same bytes). */
export function scheduleToYaml(schedule: Schedule, header: readonly string[] = []): string {
  const doc = new Document(schedule);
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  const lines = [
    `aquaseed schedule of preset ${schedule.preset}: ${schedule.batches.length} batch${schedule.batches.length === 1 ? '' : 'es'}, asOf ${schedule.asOf}${incidentCount(schedule)}.`,
    ...header,
    'Seed it with `aquaseed seed <this file>`. Hand edits are validated: known containers in the',
    "stage's hall, stage days, sea rings held until the worst-case harvest, no container held twice.",
  ];
  doc.commentBefore = lines.map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function incidentCount(schedule: Schedule): string {
  const n = schedule.incidents?.length ?? 0;
  return n === 0 ? '' : `, ${n} incident${n === 1 ? '' : 's'} (docs/incidents.md)`;
}

/** Parses and validates schedule YAML; `source` names the file in errors. `options` as for validateSchedule. */
export function parseScheduleYaml(text: string, source: string, options: PlanOptions = {}): Schedule {
  const { value, locate } = parseYamlFile(text, source);
  return validateSchedule(value, source, options, locate);
}

/** YAML text of a file, parsed with positions; a syntax error is refused naming `file:line:column`. */
export function parseYamlFile(text: string, source: string): { value: unknown; locate: Locate } {
  const parsed = parseWithPositions(text);
  const error = parsed.errors[0];
  if (error) {
    throw new AquaseedError('AQUASEED_INVALID_SCHEDULE', `${formatPosition(source, error.position)}: not valid YAML: ${error.message}`, 'fix the YAML syntax there');
  }
  return parsed;
}
