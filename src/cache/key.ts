import { createHash } from 'node:crypto';
import { ENGINE_VERSION } from '../engine/version.js';
import { SCHEMA_VERSION } from '../schema/version.js';
import type { PlanOptions } from '../schedule/plan.js';
import type { Preset } from '../schedule/preset.js';
import type { Schedule } from '../schedule/types.js';
import { validateSchedule } from '../schedule/validate.js';
import { planSchedule, resolveSchedule } from '../preset-files/resolve.js';

/** JSON with sorted keys and normalised numbers: the same schedule always serialises the same way. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new RangeError(`cannot hash the number ${value}`);
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * sha256 of the canonical schedule, the engine version and the schema version: nothing else.
 * `workers` is left out: table contents do not depend on how many workers generate them.
 */
export function scheduleKey(schedule: Schedule): string {
  const { workers: _workers, ...content } = schedule;
  return createHash('sha256')
    .update(canonicalJson({ schedule: content, engine: ENGINE_VERSION, schema: SCHEMA_VERSION }))
    .digest('hex');
}

/**
 * The cache key: sha256 of the canonical schedule, the engine version and the schema version. A
 * preset (name or object), a schedule file path, or a schedule; a preset and the schedule file
 * planned from it give the same key. A relative asOf resolves first, so the key is per instant (a day for `today`, an hour for `now`).
 */
export function cacheKey(input: string | Schedule | Preset, options: PlanOptions = {}): string {
  if (typeof input === 'string') return scheduleKey(resolveSchedule(input, options));
  if (Array.isArray((input as { batches?: unknown }).batches)) return scheduleKey(validateSchedule(input, 'schedule', options));
  return scheduleKey(planSchedule(input as Preset, options));
}
