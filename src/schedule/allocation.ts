/**
 * Containers for every planned batch, in start order: a hall of free containers for each
 * freshwater stage it reaches by asOf (Hall-A for Egg&Alevin … Hall-E for Post-Smolt) for the
 * stage's whole window, staying in its station when it can, new batches going to the least loaded
 * station (then the one idle longest); and a sea area with `seaRings` free rings from the sea
 * transfer until the worst-case last harvest (harvest-window.ts). No resource is ever booked by two
 * batches on the same day. When the farm is too small the error says where and when.
 */
import { AQUAMIND_ADMIN } from '../core/domain.js';
import { AquaseedError } from '../core/errors.js';
import { dayNumber, isoDate } from '../core/time.js';
import {
  CONTAINERS_PER_HALL,
  HALL_LETTERS,
  LAYOUT,
  RINGS_PER_AREA,
  areaName,
  containerName,
  hallName,
  ringName,
  stationName,
  stationOfHall,
  type GeographyLayout,
} from '../core/layout.js';
import { FRESHWATER_STAGE_COUNT, STAGE_NAMES, seaTransferDay } from '../core/stages.js';
import { Bookings } from './bookings.js';
import { lastHarvestDay } from './harvest-window.js';
import { drawHarvestTarget, harvestInput, ladderTargetKg, type BatchSeed } from './harvest-targets.js';
import { overdueHarvestBatches } from './incidents/index.js';
import type { IncidentInput } from './incident-types.js';
import type { Preset } from './preset.js';
import { STAGE_KEYS, type BatchPlan, type FreshwaterStageKey, type Schedule, type SeaAllocation, type StageAllocation } from './types.js';

/** The schedule of `seeds` (cohort and ladder together), every batch with its containers. */
export function allocate(spec: Preset, seeds: readonly BatchSeed[]): Schedule {
  const geoOrder = (geo: GeographyLayout) => LAYOUT.indexOf(geo);
  const sorted = [...seeds].sort(
    (a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : a.kind - b.kind || geoOrder(a.geography) - geoOrder(b.geography)),
  );
  // A batch whose harvest is overdue stays in its rings through asOf: book them that long.
  const heldPastAsOf = overdueHarvestBatches((spec.incidents ?? []) as IncidentInput[], sorted.map((seed) => seed.batchNumber));
  const allocator = new Allocator(spec, heldPastAsOf);
  const batches = sorted.map((seed, index) => allocator.plan(seed, index));
  return {
    version: 1,
    preset: spec.name,
    seed: spec.seed,
    asOf: spec.asOf,
    stageDays: spec.stageDays,
    adultMaxDays: spec.adultMaxDays,
    ...(spec.workers !== undefined ? { workers: spec.workers } : {}),
    ...(spec.overdueActivityDays ? { overdueActivityDays: spec.overdueActivityDays } : {}),
    // AquaMind's own admin123 is the default: left out, so the schedule hashes as one without the key.
    ...(spec.adminPassword !== undefined && spec.adminPassword !== AQUAMIND_ADMIN.password ? { adminPassword: spec.adminPassword } : {}),
    batches,
  };
}

/** Errors that mean "the farm is too small for this plan" (auto widens the stagger on these). */
const CAPACITY_ERRORS = new WeakSet<object>();

export function isCapacityError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && CAPACITY_ERRORS.has(error);
}

class Allocator {
  private readonly bookings = new Bookings();
  private readonly perGeography = new Map<string, number>();
  private readonly asOf: number;

  constructor(
    private readonly spec: Preset,
    private readonly heldPastAsOf: ReadonlySet<string>,
  ) {
    this.asOf = dayNumber(spec.asOf);
  }

  plan(seed: BatchSeed, index: number): BatchPlan {
    const { spec } = this;
    const geo = seed.geography;
    const nth = this.perGeography.get(geo.name) ?? 0;
    this.perGeography.set(geo.name, nth + 1);
    const start = dayNumber(seed.startDate);
    const harvestTargetKg = drawHarvestTarget(spec.seed, index, spec.harvestTargetKg, seed.ladderAge === undefined ? 0 : ladderTargetKg(spec, seed));

    const freshwater: StageAllocation[] = [];
    let station: string | null = null;
    for (let s = 0; s < FRESHWATER_STAGE_COUNT; s++) {
      const startDay = s * spec.stageDays;
      if (start + startDay > this.asOf) break;
      const allocation = this.allocateHall(seed, nth, s, start, startDay, startDay + spec.stageDays, station);
      station = stationOfHall(allocation.hall);
      freshwater.push(allocation);
    }
    const seaDay = seaTransferDay(spec.stageDays);
    let sea: SeaAllocation | null = null;
    if (start + seaDay <= this.asOf) {
      const worst = lastHarvestDay(harvestInput(spec, seed, harvestTargetKg), 'worst');
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
      const lifeEnd = start + seaTransferDay(this.spec.stageDays);
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
      const rings = ringsOf(area).filter((ring) => this.bookings.free(ring, from, to));
      if (rings.length >= want) freeRings.set(area, rings);
    }
    const candidates = areas.filter((area) => freeRings.has(area));
    if (candidates.length === 0) throw this.seaCapacityError(seed, geo, from, to);
    const chosen = pickBest(candidates, areas, nth, (area) => [
      // Spread: an area to itself when possible (one year class per site).
      -(freeRings.get(area) as string[]).length,
      // Then the area fallowed longest.
      Math.max(...ringsOf(area).map((ring) => this.bookings.releasedBefore(ring, from))),
    ]);
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
    const rings = Array.from({ length: geo.areas }, (_, a) => ringsOf(areaName(geo, a + 1))).flat();
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

/** An area's rings in name order. */
function ringsOf(area: string): string[] {
  return Array.from({ length: RINGS_PER_AREA }, (_, i) => ringName(area, i + 1));
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

function capacityError(what: string, needs: string): AquaseedError {
  const error = new AquaseedError(
    'AQUASEED_INVALID_SCHEDULE',
    `${what}: ${needs}`,
    'plan fewer batches, a longer staggerDays, fewer seaRings per batch, or a lower saturation',
  );
  CAPACITY_ERRORS.add(error);
  return error;
}
