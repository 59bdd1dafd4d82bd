/** Reading a schedule file (`aquaseed plan <preset> -o file`) from disk; schedule/yaml.ts parses it. */
import { existsSync, readFileSync } from 'node:fs';
import { AquaseedError } from '../core/errors.js';
import type { PlanOptions } from '../schedule/plan.js';
import type { Schedule } from '../schedule/types.js';
import { parseScheduleYaml } from '../schedule/yaml.js';

export function readScheduleFile(file: string, options: PlanOptions = {}): Schedule {
  if (!existsSync(file)) {
    throw new AquaseedError('AQUASEED_INVALID_OPTION', `no such schedule file: ${file}`, 'check the path, or write one with `aquaseed plan <preset> -o <file>`');
  }
  return parseScheduleYaml(readFileSync(file, 'utf8'), file, options);
}
