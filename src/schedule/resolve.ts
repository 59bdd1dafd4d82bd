/**
 * What the CLI and seedFarm accept where a farm is named: a preset name (`40-batch`), or the path
 * of a `.yaml`/`.yml` file holding either a schedule (`aquaseed plan … -o`) or a preset of one's
 * own. Either way the result is a validated schedule.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { AquaseedError } from '../errors.js';
import { scheduleKey } from './hash.js';
import { planSchedule, type PlanOptions } from './plan.js';
import { loadPreset, parsePreset, presetNames, type Preset } from './preset.js';
import type { Schedule } from './types.js';
import { parseScheduleYaml } from './yaml.js';
import { validateSchedule } from './validate.js';

/** Whether `input` names a file rather than a shipped preset. */
export function isYamlPath(input: string): boolean {
  return /\.ya?ml$/i.test(input);
}

/**
 * A preset name or a preset/schedule file → its schedule; `options` (asOf, incidents, a clock for
 * "today") apply to either kind.
 */
export function resolveSchedule(input: string, options: PlanOptions = {}): Schedule {
  if (!isYamlPath(input)) return planSchedule(loadPreset(input), options);
  if (!existsSync(input)) {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `no such file: ${input}`,
      `check the path, or name a preset: ${presetNames().join(', ')}`,
    );
  }
  const text = readFileSync(input, 'utf8');
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new AquaseedError('AQUASEED_INVALID_SCHEDULE', `${input}: not valid YAML: ${(error as Error).message}`, 'fix the YAML syntax', { cause: error });
  }
  return isScheduleShaped(value) ? parseScheduleYaml(text, input, options) : planSchedule(parsePreset(value, input), { source: input, ...options });
}

/** A schedule file has a list of batches; a preset has a batch count. */
function isScheduleShaped(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Array.isArray((value as { batches?: unknown }).batches);
}

/**
 * The cache key: sha256 of the canonical schedule, the engine version and the schema version. A
 * preset (name or object), a schedule file path, or a schedule; a preset and the schedule file
 * planned from it give the same key. A relative asOf (`today`) resolves first, so the key is per day.
 */
export function cacheKey(input: string | Schedule | Preset, options: PlanOptions = {}): string {
  if (typeof input === 'string') return scheduleKey(resolveSchedule(input, options));
  if (Array.isArray((input as { batches?: unknown }).batches)) return scheduleKey(validateSchedule(input, 'schedule', options));
  return scheduleKey(planSchedule(input as Preset, options));
}
