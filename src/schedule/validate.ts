/**
 * A schedule from outside the planner (a hand-edited YAML file, an object passed to seedFarm) is
 * checked before anything is seeded: its shape (schema), then what the engine relies on: known
 * containers in the right halls and geography, stage windows on the engine's transfer days, every
 * stage the batch reaches by asOf allocated, sea rings held at least until the batch's worst-case
 * harvest, and no container held by two batches on one day (overlaps are reported with both
 * batches, the container and the dates). Returns the normalised schedule: dates as YYYY-MM-DD
 * strings, keys in the planner's order, so a preset and its planned file hash alike.
 */
import { z } from 'zod';
import { AquaseedError } from '../core/errors.js';
import { dayNumber, isoDate } from '../core/time.js';
import { Bookings } from './bookings.js';
import { lastHarvestDay } from './harvest-window.js';
import {
  CONTAINERS_PER_HALL,
  GEOGRAPHY_NAMES,
  HALL_LETTERS,
  RINGS_PER_AREA,
  areaName,
  containerName,
  geographyLayout,
  hallName,
  isAreaOf,
  isStationOf,
  parseHallName,
  parseRingName,
  parseTankName,
  ringName,
  stationName,
  type GeographyLayout,
  type GeographyName,
} from '../core/layout.js';
import { seaTransferDay } from '../core/stages.js';
import { adminPasswordSchema, parseIncidentOption, zodError } from './preset.js';
import { checkedPassword } from './plan.js';
import { AQUAMIND_ADMIN } from '../core/domain.js';
import { datedAt, isAsOfValue, isIsoDate, resolveAsOf } from './dates.js';
import { incidentsSchema, resolveIncidents, withIncidents } from './incidents/index.js';
import { type IncidentInput } from './incident-types.js';
import type { PlanOptions } from './plan.js';
import type { Locate } from './yaml-positions.js';
import { STAGE_KEYS, type BatchPlan, type Schedule, type SeaAllocation, type StageAllocation } from './types.js';

const DOCS = 'docs/presets.md#schedule-files';

/** YAML 1.1 readers turn unquoted dates into Date objects; accept those too. */
const fromDate = (value: unknown) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value);
const date = z.preprocess(fromDate, z.string().refine(isIsoDate, 'expected a YYYY-MM-DD date'));
/** asOf may also be relative (`today`, `today-3d`, `now`) or an instant: it resolves when the schedule is read. */
const asOfDate = z.preprocess(
  fromDate,
  z.string().refine(isAsOfValue, 'expected a YYYY-MM-DD date, today, today-<n>d, now, or an ISO instant (e.g. "2025-11-21T11:33:00Z")'),
);
/** The time of day of a date asOf (what a planned schedule writes when its instant is not midnight). */
const asOfTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, 'expected HH:MM:SS (UTC), e.g. "11:00:00"');
const day = z.number().int().min(0).max(10_000);
const name = z.string().min(1).max(100);

const stageSchema = z
  .object({
    stage: z.enum(STAGE_KEYS),
    hall: name,
    containers: z.array(name).min(1).max(CONTAINERS_PER_HALL),
    startDay: day,
    endDay: day,
  })
  .strict();

const seaSchema = z
  .object({
    area: name,
    rings: z.array(name).min(1).max(RINGS_PER_AREA),
    startDay: day,
    endDay: day,
  })
  .strict();

const batchSchema = z
  .object({
    index: z.number().int().min(0),
    batchNumber: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.\- ]{0,49}$/, 'expected 1-50 letters, digits, spaces, dots, dashes or underscores'),
    geography: z.enum(GEOGRAPHY_NAMES as [GeographyName, ...GeographyName[]]),
    startDate: date,
    eggs: z.number().int().min(10_000).max(10_000_000),
    harvestTargetKg: z.number().positive().max(7),
    freshwater: z.array(stageSchema).min(1).max(STAGE_KEYS.length),
    sea: seaSchema.nullable(),
  })
  .strict();

export const scheduleSchema = z
  .object({
    version: z.literal(1),
    preset: z.string().min(1),
    seed: z.string().min(1),
    asOf: asOfDate,
    asOfTime: asOfTime.optional(),
    stageDays: z.number().int().min(1).max(365),
    adultMaxDays: z.number().int().min(1).max(900),
    workers: z.number().int().min(1).max(64).optional(),
    overdueActivityDays: z.number().int().min(0).max(365).optional(),
    adminPassword: adminPasswordSchema.optional(),
    incidents: incidentsSchema.optional(),
    batches: z.array(batchSchema).min(1),
  })
  .strict();

/**
 * Validates a schedule; throws an AquaseedError naming the first problem. A relative asOf resolves
 * here (the schedule comes back with its date), and incidents come back in canonical form. The
 * options work as for a preset: asOf and overdueActivityDays replace the schedule's, incidents
 * are added after its own; `clock` says what "today" is.
 */
export function validateSchedule(value: unknown, source = 'schedule', options: PlanOptions = {}, locate?: Locate): Schedule {
  if (options.asOf !== undefined || options.incidents !== undefined || options.overdueActivityDays !== undefined || options.adminPassword !== undefined) {
    value = withOverrides(value, options, source);
  }
  const parsed = scheduleSchema.safeParse(value);
  if (!parsed.success) throw zodError(parsed.error, value, source, DOCS, { schema: scheduleSchema, ...(locate ? { locate } : {}) });
  const input = parsed.data as Omit<Schedule, 'incidents'> & { incidents?: IncidentInput[] };
  if (input.asOfTime !== undefined && !isIsoDate(input.asOf)) {
    throw new AquaseedError(
      'AQUASEED_INVALID_SCHEDULE',
      `${source}: asOfTime = ${JSON.stringify(input.asOfTime)} goes with a YYYY-MM-DD asOf, but asOf is ${JSON.stringify(input.asOf)}`,
      `remove asOfTime (asOf ${JSON.stringify(input.asOf)} gives the time itself), or give asOf as a date`,
    );
  }
  const resolved = resolveAsOf(input.asOf, `${source}: asOf`, options.clock);
  const schedule = datedAt(normalise({ ...input, asOf: resolved.date }), input.asOfTime ?? resolved.time);
  const problems = semanticProblems(schedule);
  if (problems.length > 0) {
    const shown = problems.slice(0, 5);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    throw new AquaseedError(
      'AQUASEED_INVALID_SCHEDULE',
      `${source}: ${problems.length === 1 ? shown[0] : `${problems.length} problems:\n  ${shown.join('\n  ')}${more}`}`,
      `fix the schedule (see ${DOCS}), or plan it again from its preset: aquaseed plan <preset> -o <file>`,
    );
  }
  if (!input.incidents || input.incidents.length === 0) return schedule;
  return withIncidents(schedule, resolveIncidents(schedule, input.incidents, source, options.clock ? { clock: options.clock } : {}));
}

function withOverrides(value: unknown, options: PlanOptions, source: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const own = (value as { incidents?: unknown }).incidents;
  const extra = options.incidents ? parseIncidentOption(options.incidents, source) : [];
  return {
    ...value,
    // The caller's asOf is the whole instant: the schedule's time of day goes with its own asOf.
    ...(options.asOf !== undefined ? { asOf: options.asOf, asOfTime: undefined } : {}),
    ...(options.overdueActivityDays !== undefined ? { overdueActivityDays: options.overdueActivityDays } : {}),
    ...(options.adminPassword !== undefined ? { adminPassword: checkedPassword(options.adminPassword) } : {}),
    ...(extra.length > 0 ? { incidents: [...(Array.isArray(own) ? own : []), ...extra] } : {}),
  };
}

/** The schedule with keys in the planner's order and nothing but known keys (incidents are added once resolved). */
function normalise(s: Omit<Schedule, 'incidents'>): Schedule {
  const out: Schedule = {
    version: 1,
    preset: s.preset,
    seed: s.seed,
    asOf: s.asOf,
    stageDays: s.stageDays,
    adultMaxDays: s.adultMaxDays,
    ...(s.workers !== undefined ? { workers: s.workers } : {}),
    // 0 is the default: left out, so the schedule hashes as one that never had the key.
    ...(s.overdueActivityDays ? { overdueActivityDays: s.overdueActivityDays } : {}),
    // AquaMind's own admin123 is the default: left out, as for a preset.
    ...(s.adminPassword !== undefined && s.adminPassword !== AQUAMIND_ADMIN.password ? { adminPassword: s.adminPassword } : {}),
    batches: s.batches.map(
      (b): BatchPlan => ({
        index: b.index,
        batchNumber: b.batchNumber,
        geography: b.geography,
        startDate: b.startDate,
        eggs: b.eggs,
        harvestTargetKg: b.harvestTargetKg,
        freshwater: b.freshwater.map(
          (f): StageAllocation => ({ stage: f.stage, hall: f.hall, containers: [...f.containers], startDay: f.startDay, endDay: f.endDay }),
        ),
        sea: b.sea === null ? null : { area: b.sea.area, rings: [...b.sea.rings], startDay: b.sea.startDay, endDay: b.sea.endDay },
      }),
    ),
  };
  return out;
}

function semanticProblems(schedule: Schedule): string[] {
  const problems: string[] = [];
  const asOf = dayNumber(schedule.asOf);
  const seaDay = seaTransferDay(schedule.stageDays);
  const bookings = new Bookings();
  const overlaps: string[] = [];
  const numbers = new Map<string, number>();
  const book = (resource: string, from: number, to: number, batch: BatchPlan) => {
    const clash = bookings.clash(resource, from, to);
    if (clash) {
      overlaps.push(
        `container ${resource}: ${clash.holder} [${isoDate(clash.start)}, ${isoDate(clash.end)}) overlaps ${batch.batchNumber} [${isoDate(from)}, ${isoDate(to)})`,
      );
    }
    bookings.book(resource, from, to, batch.batchNumber);
  };

  schedule.batches.forEach((batch, i) => {
    const at = (path: string) => `batches[${i}] (${batch.batchNumber})${path}`;
    if (batch.index !== i) problems.push(`${at('.index')} = ${batch.index}: expected ${i}, its position in the list`);
    const seen = numbers.get(batch.batchNumber);
    if (seen !== undefined) problems.push(`${at('.batchNumber')}: batch number also used by batches[${seen}]`);
    else numbers.set(batch.batchNumber, i);
    const geo = geographyLayout(batch.geography);
    const start = dayNumber(batch.startDate);
    if (start > asOf) problems.push(`${at('.startDate')} = ${batch.startDate}: expected a date on or before asOf (${schedule.asOf})`);

    // Freshwater: the engine moves fish on days 0, stageDays, 2·stageDays, …
    const stages = new Set<string>();
    batch.freshwater.forEach((allocation, k) => {
      const path = `.freshwater[${k}]`;
      const order = STAGE_KEYS.indexOf(allocation.stage);
      if (stages.has(allocation.stage)) problems.push(`${at(path)}: stage ${allocation.stage} is allocated twice`);
      stages.add(allocation.stage);
      const startDay = order * schedule.stageDays;
      if (allocation.startDay !== startDay || allocation.endDay !== startDay + schedule.stageDays) {
        problems.push(
          `${at(path)}: ${allocation.stage} is days [${allocation.startDay}, ${allocation.endDay}); the engine moves fish on days ${startDay} and ${startDay + schedule.stageDays} (stageDays ${schedule.stageDays})`,
        );
      }
      problems.push(...hallProblems(allocation, order, geo, at(path)));
      for (const container of new Set(allocation.containers)) book(container, start + allocation.startDay, start + allocation.endDay, batch);
    });
    STAGE_KEYS.forEach((key, order) => {
      if (!stages.has(key) && start + order * schedule.stageDays <= asOf) {
        problems.push(`${at('.freshwater')}: no ${key} containers, but the batch reaches that stage on ${isoDate(start + order * schedule.stageDays)} (asOf ${schedule.asOf})`);
      }
    });

    // Sea: from the transfer day until the worst-case last harvest.
    if (batch.sea === null) {
      if (start + seaDay <= asOf) problems.push(`${at('.sea')}: null, but the batch goes to sea on ${isoDate(start + seaDay)} (asOf ${schedule.asOf})`);
      return;
    }
    const sea = batch.sea;
    if (sea.startDay !== seaDay) problems.push(`${at('.sea.startDay')} = ${sea.startDay}: the engine transfers to sea on day ${seaDay} (5 × stageDays)`);
    const worst = lastHarvestDay(
      { geography: batch.geography, startDay: start, stageDays: schedule.stageDays, adultMaxDays: schedule.adultMaxDays, harvestTargetKg: batch.harvestTargetKg, rings: sea.rings.length },
      'worst',
    );
    if (sea.endDay < worst) {
      problems.push(
        `${at('.sea.endDay')} = ${sea.endDay}: the batch may hold its rings until day ${worst} (harvest target ${batch.harvestTargetKg} kg, cold-water bound); expected at least ${worst}`,
      );
    }
    problems.push(...seaProblems(sea, geo, at('.sea')));
    for (const ring of new Set(sea.rings)) book(ring, start + sea.startDay, start + Math.max(sea.endDay, sea.startDay + 1), batch);
  });
  return [...problems, ...overlaps];
}

function hallProblems(allocation: StageAllocation, order: number, geo: GeographyLayout, at: string): string[] {
  const problems: string[] = [];
  const letter = HALL_LETTERS[order] as string;
  const hall = parseHallName(allocation.hall);
  if (!hall || !isStationOf(geo, hall.station)) {
    problems.push(`${at}.hall = ${JSON.stringify(allocation.hall)}: not a ${geo.name} hall (expected e.g. ${hallName(stationName(geo, 1), letter)})`);
  } else if (hall.letter !== letter) {
    problems.push(`${at}.hall = ${JSON.stringify(allocation.hall)}: ${allocation.stage} lives in Hall-${letter}s`);
  }
  if (new Set(allocation.containers).size !== allocation.containers.length) problems.push(`${at}.containers: a container is listed twice`);
  allocation.containers.forEach((container, c) => {
    const parsed = parseTankName(container);
    if (!parsed || !isStationOf(geo, parsed.station) || parsed.number < 1 || parsed.number > CONTAINERS_PER_HALL) {
      problems.push(`${at}.containers[${c}] = ${JSON.stringify(container)}: not a ${geo.name} freshwater container (expected e.g. ${containerName(stationName(geo, 1), letter, 1)})`);
    } else if (hall && (parsed.station !== hall.station || parsed.letter !== hall.letter)) {
      problems.push(`${at}.containers[${c}] = ${JSON.stringify(container)}: not in ${allocation.hall}`);
    }
  });
  return problems;
}

function seaProblems(sea: SeaAllocation, geo: GeographyLayout, at: string): string[] {
  const problems: string[] = [];
  if (!isAreaOf(geo, sea.area)) problems.push(`${at}.area = ${JSON.stringify(sea.area)}: not a ${geo.name} sea area (expected e.g. ${areaName(geo, 1)})`);
  if (new Set(sea.rings).size !== sea.rings.length) problems.push(`${at}.rings: a ring is listed twice`);
  sea.rings.forEach((ring, r) => {
    const parsed = parseRingName(ring);
    if (!parsed || !isAreaOf(geo, parsed.area) || parsed.number < 1 || parsed.number > RINGS_PER_AREA) {
      problems.push(`${at}.rings[${r}] = ${JSON.stringify(ring)}: not a ${geo.name} ring (expected e.g. ${ringName(areaName(geo, 1), 1)})`);
    } else if (parsed.area !== sea.area) {
      problems.push(`${at}.rings[${r}] = ${JSON.stringify(ring)}: not in ${sea.area}`);
    }
  });
  return problems;
}
