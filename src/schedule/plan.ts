/**
 * Preset → schedule: every batch with its dates and, before anything runs, the containers it will
 * hold. Deterministic (no clock, no Math.random: the same preset gives the same schedule, byte for
 * byte). The caller's options (asOf, incidents, overdueActivityDays) apply first; then the cohort
 * and the ladder (./cohorts.ts) get their containers (./allocation.ts), and the incidents resolve
 * against the planned batches (./incidents/).
 *
 * No resource is ever booked by two batches on the same day, so the engine can run every batch
 * independently, in any order, on any worker. When the farm is too small the error says where
 * and when: "Scotland sea: 400 rings, the plan needs 420 on 2024-03-01 …".
 */
import { AquaseedError } from '../core/errors.js';
import { allocate, isCapacityError } from './allocation.js';
import { autoCohort, batchesPerGeography, cohortSeeds, ladderSeeds } from './cohorts.js';
import { adminPasswordSchema, parseIncidentOption, parsePreset, type Preset, type PresetInput } from './preset.js';
import { datedAt, isRelativeDate, resolveAsOf, type Clock } from './dates.js';
import { resolveIncidents, withIncidents } from './incidents/index.js';
import { type IncidentInput } from './incident-types.js';
import type { Schedule } from './types.js';

/** What planning may change about a preset, and what "today" is. */
export interface PlanOptions {
  /** Resolves `today` (default: AQUASEED_TODAY, else the wall clock; UTC). */
  clock?: Clock;
  /** Replaces the preset's asOf: a date, `today`, `today-3d`, `now` or an ISO instant. */
  asOf?: string;
  /** Added after the preset's own incidents. */
  incidents?: readonly IncidentInput[];
  /** Replaces the preset's overdueActivityDays. */
  overdueActivityDays?: number;
  /** Replaces the preset's adminPassword (the farm users' password; default `admin123`). */
  adminPassword?: string;
  /** What errors call the preset (default `preset <name>`; a file's path when planned from one). */
  source?: string;
}

/** Plans a preset (a parsed preset or a preset-shaped object, validated again here). */
export function planPreset(preset: Preset | PresetInput, options: PlanOptions = {}): Schedule {
  const source = options.source ?? `preset ${JSON.stringify((preset as { name?: unknown }).name)}`;
  const parsed = parsePreset(preset, source);
  const { spec, time } = withOptions(parsed, options, source);
  const schedule = datedAt(planResolved(spec), time);
  const incidents = (spec.incidents ?? []) as IncidentInput[];
  if (incidents.length === 0) return schedule;
  // The caller's incidents follow the preset's own: name each where it was written.
  const own = parsed.incidents?.length ?? 0;
  return withIncidents(
    schedule,
    resolveIncidents(schedule, incidents, source, {
      ...(options.clock ? { clock: options.clock } : {}),
      pathOf: (i) => (i < own ? `incidents[${i}]` : `options.incidents[${i - own}]`),
    }),
  );
}

/**
 * overdueActivityDays of a farm dated `today` (or `today-3d`…) when neither the preset nor the
 * caller gives one: two weeks of planned activities left PENDING past their due date. A fixed-date
 * preset keeps 0, so its farm stays the same as before relative dating.
 */
export const TODAY_OVERDUE_DAYS = 14;

/** The preset with its asOf resolved to a day (and the time of day of its instant) and the caller's overrides applied. */
function withOptions(parsed: Preset, options: PlanOptions, source: string): { spec: Preset; time: string } {
  const resolved = resolveAsOf(options.asOf ?? parsed.asOf, options.asOf !== undefined ? 'asOf' : `${source}: asOf`, options.clock);
  const asOf = resolved.date;
  if (parsed.firstStart !== undefined && parsed.firstStart > asOf) {
    throw new AquaseedError(
      'AQUASEED_INVALID_SCHEDULE',
      `${source}: firstStart ${parsed.firstStart} is after asOf (${asOf}${asOf === parsed.asOf ? '' : `, from ${options.asOf ?? parsed.asOf}`})`,
      'give a firstStart on or before asOf, or use youngestAgeDays so the batches move with asOf',
    );
  }
  const extra = options.incidents ? parseIncidentOption(options.incidents, source) : [];
  const incidents = [...((parsed.incidents ?? []) as IncidentInput[]), ...extra];
  // A farm dated today is for apps that show today's work: some of it is overdue unless the preset says otherwise.
  const relative = isRelativeDate(options.asOf ?? parsed.asOf);
  const overdue = options.overdueActivityDays ?? parsed.overdueActivityDays ?? (relative ? TODAY_OVERDUE_DAYS : undefined);
  const spec = {
    ...parsed,
    asOf,
    ...(incidents.length > 0 ? { incidents } : {}),
    ...(overdue !== undefined ? { overdueActivityDays: overdue } : {}),
    ...(options.adminPassword !== undefined ? { adminPassword: checkedPassword(options.adminPassword) } : {}),
  } as Preset;
  return { spec, time: resolved.time };
}

function planResolved(spec: Preset): Schedule {
  const ladder = ladderSeeds(spec);
  if (spec.batches !== 'auto') return allocate(spec, [...cohortSeeds(spec, spec.batches, spec.staggerDays ?? 1), ...ladder]);
  let { stagger, perGeography } = autoCohort(spec);
  // The auto count aims at the *average* booked share; on the busiest days the bookings may not
  // fit. Then widen the stagger a day at a time (deterministic) until they do.
  for (let attempt = 0; ; attempt++) {
    try {
      return allocate(spec, [...cohortSeeds(spec, perGeography * spec.geographies.length, stagger), ...ladder]);
    } catch (error) {
      if (!isCapacityError(error) || attempt >= 20) throw error;
      stagger += 1;
      perGeography = batchesPerGeography(spec, stagger);
    }
  }
}


/** The adminPassword option, checked like a preset's. */
export function checkedPassword(value: unknown): string {
  const result = adminPasswordSchema.safeParse(value);
  if (result.success) return result.data;
  throw new AquaseedError(
    'AQUASEED_INVALID_OPTION',
    `adminPassword = ${typeof value === 'string' ? `a string of ${value.length} characters` : JSON.stringify(value)}: ${result.error.issues[0]?.message ?? 'expected a string'}`,
    'give adminPassword as a string of 1-128 characters, or leave it out for AquaMind\'s admin123',
  );
}
