/**
 * Preset → schedule: every batch with its dates and, before anything runs, the containers it will
 * hold. Deterministic (no clock, no Math.random: the same preset gives the same schedule, byte for
 * byte). For every batch, in start order:
 *
 * - a hall of 10 free containers for each freshwater stage it reaches by `asOf` (Hall-A for
 *   Egg&Alevin … Hall-E for Post-Smolt), for the stage's whole window; the batch stays in its
 *   station when it can, and new batches go to the least loaded station (then the one idle
 *   longest), so load spreads over all stations instead of filling station 01 first;
 * - a sea area with `seaRings` free rings from the sea transfer until the worst-case last harvest
 *   day computed from the batch's own harvest target (harvest-window.ts): rings are free again
 *   shortly after the batch really leaves them, not at the Adult limit.
 *
 * No resource is ever booked by two batches on the same day, so the engine can run every batch
 * independently, in any order, on any worker. When the farm is too small the error says where
 * and when: "Scotland sea: 400 rings, the plan needs 420 on 2024-03-01 …".
 */
import { AquaseedError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { addDays, dayNumber, isoDate } from '../core/time.js';
import { Bookings } from './bookings.js';
import { lastHarvestDay, type HarvestInput } from './harvest-window.js';
import {
  CONTAINERS_PER_HALL,
  HALL_LETTERS,
  LAYOUT,
  RINGS_PER_AREA,
  areaName,
  containerName,
  geographyLayout,
  hallName,
  ringName,
  stationName,
  type GeographyLayout,
} from '../core/layout.js';
import { parseIncidentOption, parsePreset, type Preset, type PresetInput } from './preset.js';
import { isRelativeDate, resolveDate, type Clock } from './dates.js';
import { overdueHarvestBatches, resolveIncidents, withIncidents } from './incidents.js';
import { type IncidentInput } from './incident-types.js';
import type { BatchPlan, FreshwaterStageKey, Schedule, SeaAllocation, StageAllocation } from './types.js';

export const STAGE_KEYS: readonly FreshwaterStageKey[] = ['egg_alevin', 'fry', 'parr', 'smolt', 'post_smolt'];
export const STAGE_NAMES: readonly string[] = ['Egg&Alevin', 'Fry', 'Parr', 'Smolt', 'Post-Smolt', 'Adult'];

/** A batch to plan: who, where, when; the planner adds the containers. */
interface BatchSeed {
  geography: GeographyLayout;
  startDate: string;
  batchNumber: string;
  /** 0 for the cohort, 1 for the ladder: orders batches starting the same day. */
  kind: 0 | 1;
  /** A ladder batch's age on asOf: it must still be in the water then. */
  ladderAge?: number;
}

/** What planning may change about a preset, and what "today" is. */
export interface PlanOptions {
  /** Resolves `today` (default: AQUASEED_TODAY, else the wall clock; UTC). */
  clock?: Clock;
  /** Replaces the preset's asOf: a date, `today` or `today-3d`. */
  asOf?: string;
  /** Added after the preset's own incidents. */
  incidents?: readonly IncidentInput[];
  /** Replaces the preset's overdueActivityDays. */
  overdueActivityDays?: number;
  /** What errors call the preset (default `preset <name>`; a file's path when planned from one). */
  source?: string;
}

/** Plans a preset (a parsed preset or a preset-shaped object, validated again here). */
export function planPreset(preset: Preset | PresetInput, options: PlanOptions = {}): Schedule {
  const source = options.source ?? `preset ${JSON.stringify((preset as { name?: unknown }).name)}`;
  const parsed = parsePreset(preset, source);
  const spec = withOptions(parsed, options, source);
  const schedule = planResolved(spec);
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

/** The preset with its asOf resolved to a date and the caller's overrides applied. */
function withOptions(parsed: Preset, options: PlanOptions, source: string): Preset {
  const asOf = resolveDate(options.asOf ?? parsed.asOf, options.asOf !== undefined ? 'asOf' : `${source}: asOf`, options.clock);
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
  return {
    ...parsed,
    asOf,
    ...(incidents.length > 0 ? { incidents } : {}),
    ...(overdue !== undefined ? { overdueActivityDays: overdue } : {}),
  } as Preset;
}

function planResolved(spec: Preset): Schedule {
  if (spec.batches !== 'auto') return allocate(spec, cohortSeeds(spec, spec.batches, spec.staggerDays ?? 1));
  let { stagger, perGeography } = autoCohort(spec);
  // The auto count aims at the *average* booked share; on the busiest days the bookings may not
  // fit. Then widen the stagger a day at a time (deterministic) until they do.
  for (let attempt = 0; ; attempt++) {
    try {
      return allocate(spec, cohortSeeds(spec, perGeography * spec.geographies.length, stagger));
    } catch (error) {
      if (!CAPACITY_ERRORS.has(error as object) || attempt >= 20) throw error;
      stagger += 1;
      perGeography = batchesPerGeography(spec, stagger);
    }
  }
}

/**
 * `batches: auto`: the stagger at which the tightest resource of any geography (its sea rings,
 * or its halls of one freshwater stage) is booked `saturation` of the time on an average day
 * (bookings last until the worst-case harvest), rounded to whole days, and as many batches as
 * start within `years` at that stagger.
 */
export function autoCohort(spec: Preset): { stagger: number; perGeography: number; perGeographyStagger: number } {
  const saturation = spec.saturation ?? 0.85;
  const geos = spec.geographies.map((name) => geographyLayout(name));
  let needed = 0;
  for (const geo of geos) {
    const ringDays = spec.seaRings * meanBookedRingDays(spec, geo);
    needed = Math.max(needed, ringDays / (saturation * geo.areas * RINGS_PER_AREA), spec.stageDays / (saturation * geo.stations));
  }
  const stagger = Math.max(1, Math.round(needed / geos.length));
  return { stagger, perGeography: batchesPerGeography(spec, stagger), perGeographyStagger: stagger * geos.length };
}

function batchesPerGeography(spec: Preset, stagger: number): number {
  return Math.max(1, Math.floor(((spec.years ?? 4) * 365) / (stagger * spec.geographies.length)));
}

/**
 * Average days a batch books its rings (sea transfer to the worst-case last harvest), over the
 * preset's harvest targets and the seasons of the sea transfer.
 */
export function meanBookedRingDays(spec: Preset, geo: GeographyLayout): number {
  const [low, high] = targetBounds(spec.harvestTargetKg);
  const seaDay = 5 * spec.stageDays;
  const jan1 = dayNumber(`${spec.asOf.slice(0, 4)}-01-01`);
  let total = 0;
  let n = 0;
  for (let q = 0; q < 9; q++) {
    const target = low + ((high - low) * (q + 0.5)) / 9;
    for (let month = 0; month < 12; month++) {
      const input: HarvestInput = {
        geography: geo.name,
        startDay: jan1 + Math.round(month * 30.44) - seaDay,
        stageDays: spec.stageDays,
        adultMaxDays: spec.adultMaxDays,
        harvestTargetKg: target,
        rings: spec.seaRings,
      };
      total += lastHarvestDay(input, 'worst') - seaDay;
      n++;
    }
  }
  return total / n;
}

/** The cohort: `count` batches `stagger` days apart, geographies interleaved. */
function cohortSeeds(spec: Preset, count: number, stagger: number): BatchSeed[] {
  const first = spec.firstStart ?? addDays(spec.asOf, -((spec.youngestAgeDays ?? 0) + (count - 1) * stagger));
  const perGeography = new Map<string, number>();
  const seeds: BatchSeed[] = [];
  const asOf = dayNumber(spec.asOf);
  for (let i = 0; i < count; i++) {
    const geo = geographyLayout(spec.geographies[i % spec.geographies.length] as Preset['geographies'][number]);
    const startDate = addDays(first, i * stagger);
    if (dayNumber(startDate) > asOf) break;
    const n = (perGeography.get(geo.name) ?? 0) + 1;
    perGeography.set(geo.name, n);
    seeds.push({ geography: geo, startDate, batchNumber: `${geo.code}-${startDate.slice(0, 4)}-${String(n).padStart(3, '0')}`, kind: 0 });
  }
  return seeds;
}

/** The ladder: per geography, one batch at each age on asOf. */
function ladderSeeds(spec: Preset): BatchSeed[] {
  if (!spec.ladder) return [];
  const { ages, label } = spec.ladder;
  const seeds: BatchSeed[] = [];
  for (const age of [...ages].sort((a, b) => b - a)) {
    for (const name of spec.geographies) {
      const geo = geographyLayout(name);
      seeds.push({
        geography: geo,
        startDate: addDays(spec.asOf, -age),
        batchNumber: `${geo.code}-${label}-${String(age).padStart(3, '0')}`,
        kind: 1,
        ladderAge: age,
      });
    }
  }
  return seeds;
}

function allocate(spec: Preset, cohort: BatchSeed[]): Schedule {
  const geoOrder = (geo: GeographyLayout) => LAYOUT.indexOf(geo);
  const seeds = [...cohort, ...ladderSeeds(spec)].sort(
    (a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : a.kind - b.kind || geoOrder(a.geography) - geoOrder(b.geography)),
  );
  // A batch whose harvest is overdue stays in its rings through asOf: book them that long.
  const heldPastAsOf = overdueHarvestBatches((spec.incidents ?? []) as IncidentInput[], seeds.map((seed) => seed.batchNumber));
  const planner = new Planner(spec, heldPastAsOf);
  const batches = seeds.map((seed, index) => planner.plan(seed, index));
  const schedule: Schedule = {
    version: 1,
    preset: spec.name,
    seed: spec.seed,
    asOf: spec.asOf,
    stageDays: spec.stageDays,
    adultMaxDays: spec.adultMaxDays,
    ...(spec.workers !== undefined ? { workers: spec.workers } : {}),
    ...(spec.overdueActivityDays ? { overdueActivityDays: spec.overdueActivityDays } : {}),
    batches,
  };
  return schedule;
}

/** Harvest targets keep 0.5 % inside the preset's range (see drawHarvestTarget). */
function targetBounds([minKg, maxKg]: readonly [number, number]): [number, number] {
  const low = minKg * 1.005;
  return [low, Math.max(low, maxKg * 0.995)];
}

/**
 * The average-weight target that ends the batch, from the batch's own seeded stream. The harvest
 * campaign lands within about ±0.2 % of it (rings are harvested two a day at a growing weight), so
 * targets keep 0.5 % inside the preset's range and the harvested average always falls within it.
 * A ladder batch draws above `atLeastKg`, the lowest target that keeps it in the water on asOf.
 */
function drawHarvestTarget(seed: string, index: number, range: readonly [number, number], atLeastKg = 0): number {
  const [low, high] = targetBounds(range);
  const from = Math.min(high, Math.max(low, atLeastKg));
  return Math.round(new Rng(seed, index, 'harvest-target').uniform(from, high) * 100) / 100;
}

class Planner {
  private readonly bookings = new Bookings();
  private readonly perGeography = new Map<string, number>();
  private readonly asOf: number;

  constructor(
    private readonly spec: Preset,
    private readonly heldPastAsOf: ReadonlySet<string> = new Set(),
  ) {
    this.asOf = dayNumber(spec.asOf);
  }

  plan(seed: BatchSeed, index: number): BatchPlan {
    const { spec } = this;
    const geo = seed.geography;
    const nth = this.perGeography.get(geo.name) ?? 0;
    this.perGeography.set(geo.name, nth + 1);
    const start = dayNumber(seed.startDate);
    const harvestTargetKg = drawHarvestTarget(spec.seed, index, spec.harvestTargetKg, seed.ladderAge === undefined ? 0 : this.ladderTargetKg(seed));

    const freshwater: StageAllocation[] = [];
    let station: string | null = null;
    for (let s = 0; s < STAGE_KEYS.length; s++) {
      const startDay = s * spec.stageDays;
      if (start + startDay > this.asOf) break;
      const allocation = this.allocateHall(seed, nth, s, start, startDay, startDay + spec.stageDays, station);
      station = allocation.hall.slice(0, -'-Hall-A'.length);
      freshwater.push(allocation);
    }
    const seaDay = STAGE_KEYS.length * spec.stageDays;
    let sea: SeaAllocation | null = null;
    if (start + seaDay <= this.asOf) {
      const worst = lastHarvestDay(this.harvestInput(seed, harvestTargetKg), 'worst');
      const endDay = this.heldPastAsOf.has(seed.batchNumber) ? Math.max(worst, this.asOf - start + 1) : worst;
      sea = this.allocateSea(seed, nth, start, seaDay, endDay);
    }
    return {
      index,
      batchNumber: seed.batchNumber,
      geography: geo.name,
      startDate: seed.startDate,
      eggs: spec.eggs,
      harvestTargetKg,
      freshwater,
      sea,
    };
  }

  private harvestInput(seed: BatchSeed, harvestTargetKg: number): HarvestInput {
    return {
      geography: seed.geography.name,
      startDay: dayNumber(seed.startDate),
      stageDays: this.spec.stageDays,
      adultMaxDays: this.spec.adultMaxDays,
      harvestTargetKg,
      rings: this.spec.seaRings,
    };
  }

  /** The lowest target (kg) that keeps a ladder batch in the water on asOf, even growing fast. */
  private ladderTargetKg(seed: BatchSeed): number {
    const age = seed.ladderAge as number;
    const seaDay = STAGE_KEYS.length * this.spec.stageDays;
    if (age <= seaDay) return 0;
    const [low, high] = targetBounds(this.spec.harvestTargetKg);
    const inWater = (kg: number) => lastHarvestDay(this.harvestInput(seed, kg), 'best') > age;
    if (inWater(low)) return 0;
    if (!inWater(high)) {
      throw new AquaseedError(
        'AQUASEED_INVALID_SCHEDULE',
        `preset ${this.spec.name}: ladder age ${age} on ${this.spec.asOf}: batch ${seed.batchNumber} would be harvested before then even at the highest harvest target (${round2(high)} kg)`,
        `use ladder ages up to about ${this.oldestLadderAge(seed)} days, a higher harvestTargetKg maximum (at most 7), or a longer adultMaxDays`,
      );
    }
    let [lo, hi] = [low, high];
    for (let i = 0; i < 40; i++) {
      const mid = (lo + hi) / 2;
      if (inWater(mid)) hi = mid;
      else lo = mid;
    }
    return Math.ceil(hi * 100) / 100 + 0.01;
  }

  private oldestLadderAge(seed: BatchSeed): number {
    const [, high] = targetBounds(this.spec.harvestTargetKg);
    return lastHarvestDay(this.harvestInput(seed, high), 'best') - 1;
  }

  private allocateHall(
    seed: BatchSeed,
    nth: number,
    stageIndex: number,
    start: number,
    startDay: number,
    endDay: number,
    previousStation: string | null,
  ): StageAllocation {
    const geo = seed.geography;
    const letter = HALL_LETTERS[stageIndex] as string;
    const from = start + startDay;
    const to = start + endDay;
    const stations = Array.from({ length: geo.stations }, (_, i) => stationName(geo, i + 1));
    const free = stations.filter((station) => this.bookings.free(hallName(station, letter), from, to));
    if (free.length === 0) throw this.hallCapacityError(seed, geo, letter, stageIndex, from, to);
    // Stay in the station of the previous stage when its hall is free; otherwise the least loaded.
    let chosen = previousStation !== null && free.includes(previousStation) ? previousStation : null;
    if (chosen === null) {
      const lifeEnd = start + STAGE_KEYS.length * this.spec.stageDays;
      chosen = pickBest(free, stations, nth, (station) => [
        // A new batch prefers a station that can keep it for every stage it reaches.
        stageIndex === 0 ? (this.canHostLife(station, start) ? 0 : 1) : 0,
        // Spread: the fewest hall-days booked in the station over the batch's freshwater life.
        HALL_LETTERS.reduce((sum, l) => sum + this.bookings.bookedDays(hallName(station, l), from, lifeEnd), 0),
        // Then the hall idle longest.
        this.bookings.releasedBefore(hallName(station, letter), from),
      ]);
    }
    const hall = hallName(chosen, letter);
    this.bookings.book(hall, from, to, seed.batchNumber);
    const containers = Array.from({ length: CONTAINERS_PER_HALL }, (_, i) => containerName(chosen, letter, i + 1));
    return { stage: STAGE_KEYS[stageIndex] as FreshwaterStageKey, hall, containers, startDay, endDay };
  }

  /** Whether every hall of the station is free for the stage windows of a batch starting on `start` (up to asOf). */
  private canHostLife(station: string, start: number): boolean {
    return HALL_LETTERS.every((letter, s) => {
      const from = start + s * this.spec.stageDays;
      return from > this.asOf || this.bookings.free(hallName(station, letter), from, from + this.spec.stageDays);
    });
  }

  private allocateSea(seed: BatchSeed, nth: number, start: number, startDay: number, endDay: number): SeaAllocation {
    const geo = seed.geography;
    const want = this.spec.seaRings;
    const from = start + startDay;
    const to = start + endDay;
    const areas = Array.from({ length: geo.areas }, (_, i) => areaName(geo, i + 1));
    const freeRings = new Map<string, string[]>();
    for (const area of areas) {
      const rings = Array.from({ length: RINGS_PER_AREA }, (_, i) => ringName(area, i + 1)).filter((ring) => this.bookings.free(ring, from, to));
      if (rings.length >= want) freeRings.set(area, rings);
    }
    const candidates = areas.filter((area) => freeRings.has(area));
    if (candidates.length === 0) throw this.seaCapacityError(seed, geo, from, to);
    const chosen = pickBest(candidates, areas, nth, (area) => {
      const rings = Array.from({ length: RINGS_PER_AREA }, (_, i) => ringName(area, i + 1));
      return [
        // Spread: an area to itself when possible (one year class per site).
        -(freeRings.get(area) as string[]).length,
        // Then the area fallowed longest.
        Math.max(...rings.map((ring) => this.bookings.releasedBefore(ring, from))),
      ];
    });
    const rings = (freeRings.get(chosen) as string[]).slice(0, want);
    for (const ring of rings) this.bookings.book(ring, from, to, seed.batchNumber);
    return { area: chosen, rings, startDay, endDay };
  }

  private hallCapacityError(seed: BatchSeed, geo: GeographyLayout, letter: string, stageIndex: number, from: number, to: number): AquaseedError {
    const stations = Array.from({ length: geo.stations }, (_, i) => hallName(stationName(geo, i + 1), letter));
    const { day, held } = this.peak(stations, from, to);
    return capacityError(
      `${geo.name} freshwater: ${geo.stations} Hall-${letter}s (${STAGE_NAMES[stageIndex]}), the plan needs ${held + 1} on ${isoDate(day)}`,
      `batch ${seed.batchNumber} needs a Hall-${letter} from ${isoDate(from)} to ${isoDate(to)}`,
    );
  }

  private seaCapacityError(seed: BatchSeed, geo: GeographyLayout, from: number, to: number): AquaseedError {
    const want = this.spec.seaRings;
    const rings = Array.from({ length: geo.areas }, (_, a) => Array.from({ length: RINGS_PER_AREA }, (_, r) => ringName(areaName(geo, a + 1), r + 1))).flat();
    const { day, held } = this.peak(rings, from, to);
    const capacity = geo.areas * RINGS_PER_AREA;
    const needs = `batch ${seed.batchNumber} needs ${want} rings in one area from ${isoDate(from)} to ${isoDate(to)} (worst-case harvest)`;
    return held + want > capacity
      ? capacityError(`${geo.name} sea: ${capacity} rings, the plan needs ${held + want} on ${isoDate(day)}`, needs)
      : capacityError(
          `${geo.name} sea: no area has ${want} rings free for the whole window (at most ${held} of ${capacity} rings are held on any day of it, on ${isoDate(day)}, spread over the areas)`,
          needs,
        );
  }

  /** The day of [from, to) on which most of `names` are held, and how many. */
  private peak(names: readonly string[], from: number, to: number): { day: number; held: number } {
    let best = { day: from, held: -1 };
    for (let day = from; day < to; day++) {
      let held = 0;
      for (const name of names) if (this.bookings.heldOn(name, day)) held++;
      if (held > best.held) best = { day, held };
    }
    return best;
  }
}

/**
 * The candidate with the lowest score (compared left to right); ties go to the first in rotation
 * from the batch's own offset, so batches of a geography start out on successive stations/areas.
 */
function pickBest(candidates: readonly string[], all: readonly string[], nth: number, score: (name: string) => number[]): string {
  const rotation = (name: string) => (all.indexOf(name) - (nth % all.length) + all.length) % all.length;
  let best = candidates[0] as string;
  let bestScore = [...score(best), rotation(best)];
  for (const name of candidates.slice(1)) {
    const s = [...score(name), rotation(name)];
    if (lexLess(s, bestScore)) {
      best = name;
      bestScore = s;
    }
  }
  return best;
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) < (b[i] as number);
  }
  return false;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Errors that mean "the farm is too small for this plan" (auto widens the stagger on these). */
const CAPACITY_ERRORS = new WeakSet<object>();

function capacityError(what: string, needs: string): AquaseedError {
  const error = new AquaseedError(
    'AQUASEED_INVALID_SCHEDULE',
    `${what}: ${needs}`,
    'plan fewer batches, a longer staggerDays, fewer seaRings per batch, or a lower saturation',
  );
  CAPACITY_ERRORS.add(error);
  return error;
}
