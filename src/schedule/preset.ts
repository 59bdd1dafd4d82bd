/**
 * Presets: the YAML files in `presets/` describing a farm to plan (see docs/presets.md). Validated
 * with a schema; every error names the key path, the bad value and what is allowed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { AquaseedError } from '../errors.js';
import { packageRoot } from '../package-root.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a YYYY-MM-DD date');

export const presetSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().default(''),
    seed: z.string().min(1),
    asOf: isoDate,
    firstStart: isoDate,
    geographies: z.array(z.enum(['Faroe Islands', 'Scotland'])).min(1),
    batches: z.number().int().min(1).max(2000),
    staggerDays: z.number().int().min(1),
    eggs: z.number().int().min(10_000).max(10_000_000),
    stageDays: z.number().int().min(1).max(365),
    adultMaxDays: z.number().int().min(1).max(900),
    harvestTargetKg: z.tuple([z.number().positive(), z.number().positive()]).refine(([a, b]) => a <= b, 'min must not exceed max'),
    seaRings: z.number().int().min(1).max(20),
  })
  .strict();

export type Preset = z.infer<typeof presetSchema>;

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
      `unknown preset ${JSON.stringify(name)}`,
      `use one of: ${known.join(', ')}`,
    );
  }
  const file = join(presetsDir(), `${name}.yaml`);
  return parsePreset(parse(readFileSync(file, 'utf8')), file);
}

export function parsePreset(value: unknown, source: string): Preset {
  const result = presetSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const path = issue.path.join('.') || '(root)';
  const bad = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], value);
  throw new AquaseedError(
    'AQUASEED_INVALID_SCHEDULE',
    `${source}: ${path} = ${JSON.stringify(bad)}: ${issue.message}`,
    `fix ${path} in ${source} (see docs/presets.md for every key and its allowed values)`,
  );
}
