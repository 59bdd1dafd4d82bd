/**
 * What a schedule amounts to, before anything is seeded: batches per geography, which stage each
 * batch is in on asOf, how full the farm is (bookings, and occupancy as the engine will leave it
 * at the engine's mean temperatures), and how long rings stay booked after the expected harvest.
 * `aquaseed plan` prints it; the tests judge plans by it.
 */
import { dayNumber, isoDate } from '../core/time.js';
import { HARVEST_RINGS_PER_DAY } from '../core/tuning.js';
import { lastHarvestDay, type HarvestInput } from './harvest-window.js';
import { CONTAINERS_PER_HALL, HALL_LETTERS, LAYOUT, RINGS_PER_AREA } from '../core/layout.js';
import { STAGE_NAMES, seaTransferDay, type StageName } from '../core/stages.js';
import type { BatchPlan, Schedule } from './types.js';

export interface Occupancy {
  held: number;
  capacity: number;
  share: number;
}

export interface Peak extends Occupancy {
  date: string;
}

export interface GeographyStats {
  batches: number;
  /** On asOf (expected): batches in each stage, and harvested ones. */
  active: number;
  completed: number;
  byStage: Record<StageName, number>;
  /** HOLDING containers occupied on asOf (expected). */
  utilization: { freshwater: Occupancy; sea: Occupancy; all: Occupancy };
  /** Most rings / Hall-Xs booked on one day (worst-case windows). */
  peakBooked: { seaRings: Peak; halls: Record<string, Peak> };
  /**
   * Average share over the 365 days up to asOf: sea rings booked (until the worst-case harvest)
   * and held (until the expected harvest), and each hall letter (booked = held).
   */
  lastYear: { seaRingsBooked: number; seaRingsHeld: number; halls: Record<string, number> };
}

export interface ScheduleStats {
  batches: number;
  firstStart: string;
  lastStart: string;
  /** The most common gap between consecutive starts (days). */
  staggerDays: number | null;
  active: number;
  completed: number;
  byStage: Record<StageName, number>;
  /** Stages with at least one active batch on asOf. */
  activeStages: StageName[];
  utilization: { freshwater: Occupancy; sea: Occupancy; all: Occupancy };
  /** The tightest resource's average booked share over the last year: what `saturation` aims at. */
  saturation: { share: number; resource: string };
  /** Days the rings stay booked after the expected last harvest (worst-case bound minus expected). */
  ringSlackDays: { mean: number; max: number } | null;
  geographies: Record<string, GeographyStats>;
}

interface BatchFacts {
  plan: BatchPlan;
  start: number;
  /** Expected batch-relative day the last ring is harvested (null: never goes to sea in the plan). */
  lastHarvest: number | null;
}

export function scheduleStats(schedule: Schedule): ScheduleStats {
  const asOf = dayNumber(schedule.asOf);
  const seaDay = seaTransferDay(schedule.stageDays);
  const facts: BatchFacts[] = schedule.batches.map((plan) => {
    const start = dayNumber(plan.startDate);
    const input: HarvestInput | null = plan.sea && {
      geography: plan.geography,
      startDay: start,
      stageDays: schedule.stageDays,
      adultMaxDays: schedule.adultMaxDays,
      harvestTargetKg: plan.harvestTargetKg,
      rings: plan.sea.rings.length,
    };
    return { plan, start, lastHarvest: input ? lastHarvestDay(input, 'expected') : null };
  });

  const geographies: Record<string, GeographyStats> = {};
  for (const geo of LAYOUT) {
    const mine = facts.filter((f) => f.plan.geography === geo.name);
    if (mine.length === 0) continue;
    const byStage = emptyStages();
    let completed = 0;
    let fwHeld = 0;
    let seaHeld = 0;
    for (const f of mine) {
      const age = asOf - f.start;
      const stage = age < seaDay ? Math.floor(age / schedule.stageDays) : 5;
      if (stage < 5) {
        byStage[STAGE_NAMES[stage] as StageName]++;
        fwHeld += f.plan.freshwater[stage]?.containers.length ?? 0;
      } else if (f.lastHarvest !== null && age >= f.lastHarvest) {
        completed++;
      } else {
        byStage.Adult++;
        seaHeld += ringsHeld(f, age, seaDay);
      }
    }
    const fwCapacity = geo.stations * HALL_LETTERS.length * CONTAINERS_PER_HALL;
    const seaCapacity = geo.areas * RINGS_PER_AREA;
    const windowStart = asOf - 364;
    const halls: Record<string, Peak> = {};
    const hallYear: Record<string, number> = {};
    HALL_LETTERS.forEach((letter, s) => {
      const spans = mine.flatMap((f) => {
        const a = f.plan.freshwater[s];
        return a ? [{ from: f.start + a.startDay, to: f.start + a.endDay, weight: 1 }] : [];
      });
      halls[letter] = peakOf(spans, geo.stations);
      hallYear[letter] = averageShare(spans, windowStart, asOf + 1, geo.stations);
    });
    const ringSpans = mine.flatMap((f) => (f.plan.sea ? [{ from: f.start + f.plan.sea.startDay, to: f.start + f.plan.sea.endDay, weight: f.plan.sea.rings.length }] : []));
    const expectedRingSpans = mine.flatMap((f) => expectedRingSpansOf(f, seaDay));
    geographies[geo.name] = {
      batches: mine.length,
      active: mine.length - completed,
      completed,
      byStage,
      utilization: {
        freshwater: occupancy(fwHeld, fwCapacity),
        sea: occupancy(seaHeld, seaCapacity),
        all: occupancy(fwHeld + seaHeld, fwCapacity + seaCapacity),
      },
      peakBooked: { seaRings: peakOf(ringSpans, seaCapacity), halls },
      lastYear: {
        seaRingsBooked: averageShare(ringSpans, windowStart, asOf + 1, seaCapacity),
        seaRingsHeld: averageShare(expectedRingSpans, windowStart, asOf + 1, seaCapacity),
        halls: hallYear,
      },
    };
  }

  const all = Object.values(geographies);
  const sum = (pick: (g: GeographyStats) => Occupancy) =>
    occupancy(all.reduce((n, g) => n + pick(g).held, 0), all.reduce((n, g) => n + pick(g).capacity, 0));
  const byStage = emptyStages();
  for (const g of all) for (const stage of Object.keys(byStage) as StageName[]) byStage[stage] += g.byStage[stage];
  let saturation = { share: 0, resource: 'none' };
  for (const [name, g] of Object.entries(geographies)) {
    if (g.lastYear.seaRingsBooked > saturation.share) saturation = { share: g.lastYear.seaRingsBooked, resource: `${name} sea rings` };
    for (const [letter, share] of Object.entries(g.lastYear.halls)) {
      if (share > saturation.share) saturation = { share, resource: `${name} Hall-${letter}s` };
    }
  }
  const slack = facts.filter((f) => f.plan.sea && f.lastHarvest !== null).map((f) => (f.plan.sea as { endDay: number }).endDay - (f.lastHarvest as number));
  const starts = facts.map((f) => f.start).sort((a, b) => a - b);
  return {
    batches: schedule.batches.length,
    firstStart: isoDate(starts[0] as number),
    lastStart: isoDate(starts[starts.length - 1] as number),
    staggerDays: mostCommonGap(starts),
    active: all.reduce((n, g) => n + g.active, 0),
    completed: all.reduce((n, g) => n + g.completed, 0),
    byStage,
    activeStages: (Object.keys(byStage) as StageName[]).filter((stage) => byStage[stage] > 0),
    utilization: { freshwater: sum((g) => g.utilization.freshwater), sea: sum((g) => g.utilization.sea), all: sum((g) => g.utilization.all) },
    saturation,
    ringSlackDays: slack.length > 0 ? { mean: round1(slack.reduce((a, b) => a + b, 0) / slack.length), max: Math.max(...slack) } : null,
    geographies,
  };
}

/** Lines for `aquaseed plan`: counts, stages on asOf, utilization, bookings. */
export function formatStats(stats: ScheduleStats, asOf: string): string[] {
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  const stages = (byStage: Record<StageName, number>) =>
    (Object.entries(byStage) as [StageName, number][]).map(([stage, n]) => `${stage} ${n}`).join(', ');
  const lines = [
    `${stats.batches} batches (${Object.entries(stats.geographies).map(([name, g]) => `${name} ${g.batches}`).join(', ')}), starts ${stats.firstStart} to ${stats.lastStart}${stats.staggerDays ? `, every ${stats.staggerDays} days` : ''}`,
    `on ${asOf} (expected): ${stats.completed} completed, ${stats.active} active: ${stages(stats.byStage)}`,
    `utilization on ${asOf} (expected): ${pct(stats.utilization.all.share)} of HOLDING containers (freshwater ${pct(stats.utilization.freshwater.share)}, sea ${pct(stats.utilization.sea.share)})`,
    `saturation over the last year: ${pct(stats.saturation.share)} booked (${stats.saturation.resource})`,
  ];
  for (const [name, g] of Object.entries(stats.geographies)) {
    const halls = Object.entries(g.peakBooked.halls).map(([letter, p]) => `${letter} ${p.held}/${p.capacity}`).join(' ');
    const rings = g.peakBooked.seaRings;
    const peakRings = rings.held > 0 ? `${rings.held}/${rings.capacity} on ${rings.date}` : `0/${rings.capacity}`;
    lines.push(
      `  ${name}: on asOf freshwater ${pct(g.utilization.freshwater.share)}, sea ${pct(g.utilization.sea.share)}; last year sea rings ${pct(g.lastYear.seaRingsBooked)} booked, ${pct(g.lastYear.seaRingsHeld)} held; peak booked: sea rings ${peakRings}, halls ${halls}`,
    );
  }
  if (stats.ringSlackDays) lines.push(`rings stay booked ${stats.ringSlackDays.mean} days (at most ${stats.ringSlackDays.max}) after the expected harvest (cold-water bound)`);
  return lines;
}

function ringsHeld(f: BatchFacts, age: number, seaDay: number): number {
  const rings = f.plan.sea?.rings.length ?? 0;
  if (age < seaDay || f.lastHarvest === null) return age >= seaDay ? rings : 0;
  const campaignStart = f.lastHarvest - Math.ceil(rings / HARVEST_RINGS_PER_DAY) + 1;
  if (age < campaignStart) return rings;
  return Math.max(0, rings - HARVEST_RINGS_PER_DAY * (age - campaignStart + 1));
}

/** Ring spans as the engine will leave them (expected): each ring until its own harvest day. */
function expectedRingSpansOf(f: BatchFacts, seaDay: number): { from: number; to: number; weight: number }[] {
  const sea = f.plan.sea;
  if (!sea || f.lastHarvest === null) return [];
  const rings = sea.rings.length;
  const campaignStart = f.lastHarvest - Math.ceil(rings / HARVEST_RINGS_PER_DAY) + 1;
  return Array.from({ length: rings }, (_, i) => ({
    from: f.start + seaDay,
    to: f.start + campaignStart + Math.floor(i / HARVEST_RINGS_PER_DAY),
    weight: 1,
  }));
}

function peakOf(spans: { from: number; to: number; weight: number }[], capacity: number): Peak {
  const events: [number, number][] = [];
  for (const s of spans) events.push([s.from, s.weight], [s.to, -s.weight]);
  // Releases before arrivals on the same day: half-open spans.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let held = 0;
  let best = { held: 0, day: events[0]?.[0] ?? 0 };
  for (const [day, delta] of events) {
    held += delta;
    if (held > best.held) best = { held, day };
  }
  return { ...occupancy(best.held, capacity), date: isoDate(best.day) };
}

function averageShare(spans: { from: number; to: number; weight: number }[], from: number, to: number, capacity: number): number {
  let heldDays = 0;
  for (const s of spans) heldDays += s.weight * Math.max(0, Math.min(to, s.to) - Math.max(from, s.from));
  return capacity > 0 ? heldDays / ((to - from) * capacity) : 0;
}

function occupancy(held: number, capacity: number): Occupancy {
  return { held, capacity, share: capacity > 0 ? held / capacity : 0 };
}

function emptyStages(): Record<StageName, number> {
  return Object.fromEntries(STAGE_NAMES.map((name) => [name, 0])) as Record<StageName, number>;
}

function mostCommonGap(starts: readonly number[]): number | null {
  const counts = new Map<number, number>();
  for (let i = 1; i < starts.length; i++) {
    const gap = (starts[i] as number) - (starts[i - 1] as number);
    if (gap > 0) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  let best: number | null = null;
  for (const [gap, n] of counts) if (best === null || n > (counts.get(best) as number) || (n === counts.get(best) && gap < best)) best = gap;
  return best;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
