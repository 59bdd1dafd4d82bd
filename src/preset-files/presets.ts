/**
 * The presets shipped in the package's `presets/` directory and preset files of one's own: found
 * and read from disk here, parsed and checked by schedule/preset.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { packageRoot } from '../host/package-root.js';
import { parsePreset, type Preset } from '../schedule/preset.js';
import { didYouMean } from '../schedule/suggest.js';
import { parseYamlFile } from '../schedule/yaml.js';

/** The preset a runner seeds when the suite names none (Vitest's and Playwright's fixtures and global setups). */
export const DEFAULT_PRESET = 'single-batch';

/** The directory of the presets shipped with the package. */
export function presetsDir(): string {
  return join(packageRoot(), 'presets');
}

export function presetNames(): string[] {
  return readdirSync(presetsDir())
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => basename(file, '.yaml'))
    .sort();
}

export function loadPreset(name: string): Preset {
  const known = presetNames();
  if (!known.includes(name)) {
    throw new AquaseedError(
      'AQUASEED_UNKNOWN_PRESET',
      `unknown preset ${JSON.stringify(name)}${didYouMean(name, known)}`,
      `use one of: ${known.join(', ')}, or the path of a preset or schedule file (.yaml)`,
    );
  }
  return readPresetFile(join(presetsDir(), `${name}.yaml`));
}

export function readPresetFile(file: string): Preset {
  if (!existsSync(file)) {
    throw new AquaseedError('AQUASEED_INVALID_OPTION', `no such preset file: ${file}`, 'check the path');
  }
  const { value, locate } = parseYamlFile(readFileSync(file, 'utf8'), file);
  return parsePreset(value, file, locate);
}
