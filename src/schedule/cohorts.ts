/**
 * Which batches a preset plans: the cohort (`batches` of them, or `auto`: as many as fill the
 * farm to `saturation`) `staggerDays` apart with geographies interleaved, and the ladder (one
 * batch per geography at each age on asOf). Numbers and start dates only; ./allocation.ts gives
 * them their containers.
 */
import { addDays, dayNumber } from '../core/time.js';
import { geographyLayout, RINGS_PER_AREA, type GeographyLayout } from '../core/layout.js';
import { seaTransferDay } from '../core/stages.js';
import { lastHarvestDay, type HarvestInput } from './harvest-window.js';
import { targetBounds, type BatchSeed } from './harvest-targets.js';
import type { Preset } from './preset.js';

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

export function batchesPerGeography(spec: Preset, stagger: number): number {
  return Math.max(1, Math.floor(((spec.years ?? 4) * 365) / (stagger * spec.geographies.length)));
}

/**
 * Average days a batch books its rings (sea transfer to the worst-case last harvest), over the
 * preset's harvest targets and the seasons of the sea transfer.
 */
export function meanBookedRingDays(spec: Preset, geo: GeographyLayout): number {
  const [low, high] = targetBounds(spec.harvestTargetKg);
  const seaDay = seaTransferDay(spec.stageDays);
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
export function cohortSeeds(spec: Preset, count: number, stagger: number): BatchSeed[] {
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
export function ladderSeeds(spec: Preset): BatchSeed[] {
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
