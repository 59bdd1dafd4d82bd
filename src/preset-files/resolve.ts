/**
 * What the CLI and seedFarm accept where a farm is named: a preset name (`40-batch`), the path of a
 * `.yaml`/`.yml` file holding either a schedule (`aquaseed plan … -o`) or a preset of one's own, or
 * a preset object. Either way the result is a validated schedule.
 */
import { existsSync, readFileSync } from 'node:fs';
import { AquaseedError } from '../core/errors.js';
import { planPreset, type PlanOptions } from '../schedule/plan.js';
import { parsePreset, type Preset, type PresetInput } from '../schedule/preset.js';
import type { Schedule } from '../schedule/types.js';
import { parseYamlFile } from '../schedule/yaml.js';
import { validateSchedule } from '../schedule/validate.js';
import { loadPreset, presetNames } from './presets.js';

/** Whether `input` names a file rather than a shipped preset. */
export function isYamlPath(input: string): boolean {
  return /\.ya?ml$/i.test(input);
}

/** Plans a preset: a shipped preset's name, or a parsed preset or preset-shaped object (validated again). */
export function planSchedule(preset: string | Preset | PresetInput, options: PlanOptions = {}): Schedule {
  if (typeof preset !== 'string') return planPreset(preset, options);
  return planPreset(loadPreset(preset), { source: `preset ${preset}`, ...options });
}

/**
 * A preset name or a preset/schedule file → its schedule; `options` (asOf, incidents, a clock for
 * "today") apply to either kind.
 */
export function resolveSchedule(input: string, options: PlanOptions = {}): Schedule {
  if (!isYamlPath(input)) return planPreset(loadPreset(input), options);
  if (!existsSync(input)) {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `no such file: ${input}`,
      `check the path, or name a preset: ${presetNames().join(', ')}`,
    );
  }
  const { value, locate } = parseYamlFile(readFileSync(input, 'utf8'), input);
  return isScheduleShaped(value) ? validateSchedule(value, input, options, locate) : planPreset(parsePreset(value, input, locate), { source: input, ...options });
}

/** A schedule file has a list of batches; a preset has a batch count. */
function isScheduleShaped(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Array.isArray((value as { batches?: unknown }).batches);
}
