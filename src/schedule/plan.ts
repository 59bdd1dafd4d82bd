/**
 * Preset → schedule. Batches start `staggerDays` apart, geographies interleaved; each batch gets,
 * before anything runs, a hall of 10 free containers for every freshwater stage it reaches and a
 * sea area with free rings for its worst-case Adult phase. No container is ever booked by two
 * batches on the same day, so the engine can run every batch independently.
 */
import { AquaseedError } from '../errors.js';
import { Rng } from '../engine/rng.js';
import { addDays, dayNumber } from '../engine/time.js';
import { loadPreset, type Preset } from './preset.js';
import {
  CONTAINERS_PER_HALL,
  HALL_LETTERS,
  RINGS_PER_AREA,
  areaName,
  containerName,
  geographyLayout,
  hallName,
  ringName,
  stationName,
  type GeographyLayout,
} from './layout.js';
import type { BatchPlan, FreshwaterStageKey, Schedule, SeaAllocation, StageAllocation } from './types.js';

const STAGE_KEYS: readonly FreshwaterStageKey[] = ['egg_alevin', 'fry', 'parr', 'smolt', 'post_smolt'];

/** Half-open [start, end) day-number intervals booked per container name. */
class Bookings {
  private readonly byContainer = new Map<string, [number, number][]>();

  free(names: readonly string[], start: number, end: number): boolean {
    return names.every((name) => (this.byContainer.get(name) ?? []).every(([s, e]) => end <= s || start >= e));
  }

  book(names: readonly string[], start: number, end: number): void {
    for (const name of names) {
      let list = this.byContainer.get(name);
      if (!list) this.byContainer.set(name, (list = []));
      list.push([start, end]);
    }
  }
}

export function planSchedule(preset: string | Preset): Schedule {
  const spec = typeof preset === 'string' ? loadPreset(preset) : preset;
  const bookings = new Bookings();
  const perGeography = new Map<string, number>();
  const batches: BatchPlan[] = [];
  const asOf = dayNumber(spec.asOf);
  for (let index = 0; index < spec.batches; index++) {
    const geo = geographyLayout(spec.geographies[index % spec.geographies.length] as Preset['geographies'][number]);
    const indexInGeography = perGeography.get(geo.name) ?? 0;
    perGeography.set(geo.name, indexInGeography + 1);
    const startDate = addDays(spec.firstStart, index * spec.staggerDays);
    if (dayNumber(startDate) > asOf) break;
    const start = dayNumber(startDate);
    const [minKg, maxKg] = spec.harvestTargetKg;
    const batchNumber = `${geo.code}-${startDate.slice(0, 4)}-${String(indexInGeography + 1).padStart(3, '0')}`;
    const freshwater: StageAllocation[] = [];
    STAGE_KEYS.forEach((stage, s) => {
      const startDay = s * spec.stageDays;
      if (start + startDay > asOf) return;
      freshwater.push(allocateHall(bookings, geo, indexInGeography, s, stage, start, startDay, startDay + spec.stageDays, batchNumber));
    });
    const seaStart = STAGE_KEYS.length * spec.stageDays;
    const sea = start + seaStart <= asOf
      ? allocateSea(bookings, geo, indexInGeography, spec.seaRings, start, seaStart, seaStart + spec.adultMaxDays, batchNumber)
      : null;
    batches.push({
      index,
      batchNumber,
      geography: geo.name,
      startDate,
      eggs: spec.eggs,
      harvestTargetKg: drawHarvestTarget(spec.seed, index, minKg, maxKg),
      freshwater,
      sea,
    });
  }
  return {
    version: 1,
    preset: spec.name,
    seed: spec.seed,
    asOf: spec.asOf,
    stageDays: spec.stageDays,
    adultMaxDays: spec.adultMaxDays,
    batches,
  };
}

/**
 * The average-weight target that ends the batch. The harvest campaign lands within about ±0.2 %
 * of it (rings are harvested two a day at a growing weight), so targets keep 0.5 % inside the
 * preset's range and the harvested average always falls within it.
 */
function drawHarvestTarget(seed: string, index: number, minKg: number, maxKg: number): number {
  const low = minKg * 1.005;
  const high = Math.max(low, maxKg * 0.995);
  return Math.round(new Rng(seed, index, 'harvest-target').uniform(low, high) * 100) / 100;
}

/** The first hall of the stage, scanning stations from the batch's own offset, with 10 free containers. */
function allocateHall(
  bookings: Bookings,
  geo: GeographyLayout,
  indexInGeography: number,
  stageIndex: number,
  stage: FreshwaterStageKey,
  start: number,
  startDay: number,
  endDay: number,
  batchNumber: string,
): StageAllocation {
  const letter = HALL_LETTERS[stageIndex] as string;
  for (let k = 0; k < geo.stations; k++) {
    const station = stationName(geo, ((indexInGeography + k) % geo.stations) + 1);
    const containers = Array.from({ length: CONTAINERS_PER_HALL }, (_, i) => containerName(station, letter, i + 1));
    if (!bookings.free(containers, start + startDay, start + endDay)) continue;
    bookings.book(containers, start + startDay, start + endDay);
    return { stage, hall: hallName(station, letter), containers, startDay, endDay };
  }
  throw capacityError(`${geo.name} freshwater: all ${geo.stations} Hall-${letter}s are taken`, batchNumber, start + startDay);
}

function allocateSea(
  bookings: Bookings,
  geo: GeographyLayout,
  indexInGeography: number,
  rings: number,
  start: number,
  startDay: number,
  endDay: number,
  batchNumber: string,
): SeaAllocation {
  for (let k = 0; k < geo.areas; k++) {
    const area = areaName(geo, ((indexInGeography + k) % geo.areas) + 1);
    const free = Array.from({ length: RINGS_PER_AREA }, (_, i) => ringName(area, i + 1)).filter((ring) =>
      bookings.free([ring], start + startDay, start + endDay),
    );
    if (free.length < rings) continue;
    const chosen = free.slice(0, rings);
    bookings.book(chosen, start + startDay, start + endDay);
    return { area, rings: chosen, startDay, endDay };
  }
  throw capacityError(`${geo.name} sea: no area has ${rings} free rings`, batchNumber, start + startDay);
}

function capacityError(what: string, batchNumber: string, day: number): AquaseedError {
  const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
  return new AquaseedError(
    'AQUASEED_INVALID_SCHEDULE',
    `${what} on ${date}, needed by batch ${batchNumber}`,
    'plan fewer batches, a longer staggerDays, or fewer seaRings per batch',
  );
}
