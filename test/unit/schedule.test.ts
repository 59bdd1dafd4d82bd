/**
 * The planner and schedule files without a database: determinism, no container held twice on any
 * day (a property over many seeds, staggers and shapes), every reached stage allocated, YAML round
 * trips, validation of hand edits, the presets' shapes, and their pinned cache keys.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AquaseedError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { addDays, dayNumber, isoDate } from '../../src/core/time.js';
import { scheduleKey } from '../../src/cache/key.js';
import { lastHarvestDay } from '../../src/schedule/harvest-window.js';
import { geographyLayout, HALL_LETTERS } from '../../src/core/layout.js';
import { STAGE_KEYS } from '../../src/schedule/types.js';
import { planSchedule } from '../../src/preset-files/resolve.js';
import { parsePreset, type Preset, type PresetInput } from '../../src/schedule/preset.js';
import { loadPreset, presetNames } from '../../src/preset-files/presets.js';
import { resolveSchedule } from '../../src/preset-files/resolve.js';
import { cacheKey } from '../../src/cache/key.js';
import { scheduleStats } from '../../src/schedule/stats.js';
import type { Schedule } from '../../src/schedule/types.js';
import { validateSchedule } from '../../src/schedule/validate.js';
import { parseScheduleYaml, scheduleToYaml } from '../../src/schedule/yaml.js';

/** Every container's bookings, [start, end) in day numbers, checked independently of the planner. */
function doubleBookings(schedule: Schedule): string[] {
  const spans = new Map<string, { from: number; to: number; batch: string }[]>();
  const add = (name: string, from: number, to: number, batch: string) => {
    let list = spans.get(name);
    if (!list) spans.set(name, (list = []));
    list.push({ from, to, batch });
  };
  for (const b of schedule.batches) {
    const start = dayNumber(b.startDate);
    for (const f of b.freshwater) for (const c of f.containers) add(c, start + f.startDay, start + f.endDay, b.batchNumber);
    if (b.sea) for (const r of b.sea.rings) add(r, start + b.sea.startDay, start + b.sea.endDay, b.batchNumber);
  }
  const problems: string[] = [];
  for (const [name, list] of spans) {
    list.sort((a, b) => a.from - b.from);
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1]!, list[i]!];
      if (b.from < a.to) problems.push(`${name}: ${a.batch} until ${isoDate(a.to)}, ${b.batch} from ${isoDate(b.from)}`);
    }
  }
  return problems;
}

/** What every planned batch must hold: each stage it reaches by asOf, in the right halls and numbers. */
function incompleteBatches(schedule: Schedule, seaRings: number): string[] {
  const problems: string[] = [];
  const asOf = dayNumber(schedule.asOf);
  for (const b of schedule.batches) {
    const start = dayNumber(b.startDate);
    const geo = geographyLayout(b.geography);
    STAGE_KEYS.forEach((key, s) => {
      const reached = start + s * schedule.stageDays <= asOf;
      const allocation = b.freshwater.find((f) => f.stage === key);
      if (reached !== (allocation !== undefined)) problems.push(`${b.batchNumber} ${key}: reached ${reached}, allocated ${allocation !== undefined}`);
      if (!allocation) return;
      const letter = HALL_LETTERS[s]!;
      const hall = new RegExp(`^${geo.stationPrefix}-\\d{2}-Hall-${letter}$`);
      if (!hall.test(allocation.hall) || allocation.containers.length !== 10) problems.push(`${b.batchNumber} ${key}: ${allocation.hall} ${allocation.containers.length}`);
      if (allocation.containers.some((c) => !c.startsWith(`${allocation.hall.replace('-Hall-', '-')}-C`))) problems.push(`${b.batchNumber} ${key}: container outside ${allocation.hall}`);
    });
    const atSea = start + 5 * schedule.stageDays <= asOf;
    if (atSea !== (b.sea !== null)) problems.push(`${b.batchNumber} sea: reached ${atSea}, allocated ${b.sea !== null}`);
    if (b.sea) {
      if (b.sea.rings.length !== seaRings || !b.sea.area.startsWith(geo.areaPrefix)) problems.push(`${b.batchNumber} sea: ${b.sea.area} ${b.sea.rings.length}`);
      const worst = lastHarvestDay(
        { geography: b.geography, startDay: start, stageDays: schedule.stageDays, adultMaxDays: schedule.adultMaxDays, harvestTargetKg: b.harvestTargetKg, rings: seaRings },
        'worst',
      );
      if (b.sea.endDay !== worst || b.sea.endDay > b.sea.startDay + schedule.adultMaxDays) problems.push(`${b.batchNumber} sea end ${b.sea.endDay}, worst ${worst}`);
    }
  }
  return problems;
}

const base = (): Preset => loadPreset('40-batch');

describe('planning is deterministic', () => {
  it.each(presetNames())('%s plans to the same bytes every time', (name) => {
    const first = scheduleToYaml(planSchedule(name));
    expect(scheduleToYaml(planSchedule(name))).toBe(first);
    expect(scheduleToYaml(planSchedule(loadPreset(name)))).toBe(first);
  });

  it('pins every preset’s cache key (a change of schedule, engine or schema version shows here)', () => {
    const keys = Object.fromEntries(presetNames().map((name) => [name, cacheKey(name)]));
    expect(keys).toMatchInlineSnapshot(`
      {
        "40-batch": "c42be1638f90134d6e787ab8554171092178330463e122309ea05667fe7054eb",
        "full-saturation": "00314e5594867a74a238d618fa03a47519a1b6863dd289d286f5d0b374177500",
        "single-batch": "07c4032dda593ffdbb2b183c64115164d2c1144df6070601dd7c7d79eade6436",
        "tiny": "deaa770859096a2092c023d7a8d90a5708b77a28aa05fce7364dfc5ca6e9e939",
        "uat": "c8bcdccf659416a9a9072b01b4251dd4d14f1cc1d5712c9f31bfd85e4b46a27b",
      }
    `);
  });
});

describe('no container is held by two batches on one day', () => {
  it('holds over many seeds, staggers, shapes and ring counts (property)', () => {
    const rng = new Rng('schedule-property');
    let planned = 0;
    let refused = 0;
    for (let run = 0; run < 120; run++) {
      const geographies = rng.pick([['Faroe Islands', 'Scotland'], ['Scotland'], ['Faroe Islands'], ['Scotland', 'Faroe Islands']] as const);
      const seaRings = rng.pick([4, 8, 10, 12, 15, 20]);
      const preset: PresetInput = {
        ...base(),
        name: `property-${run}`,
        seed: `seed-${run}`,
        geographies: [...geographies],
        batches: rng.int(1, 90),
        staggerDays: rng.int(3, 60),
        youngestAgeDays: rng.int(0, 400),
        seaRings,
        harvestTargetKg: rng.pick([[4.5, 6.5], [4.5, 4.6], [6.4, 6.5], [5, 6]] as const),
        asOf: addDays('2025-11-21', rng.int(-400, 400)),
      };
      let schedule: Schedule;
      try {
        schedule = planSchedule(preset);
      } catch (error) {
        // Too dense for the farm: refused up front, naming the resource, the need and the day.
        expect(error).toBeInstanceOf(AquaseedError);
        expect((error as Error).message).toMatch(/^(Faroe Islands|Scotland) (freshwater: \d+ Hall-[A-E]s|sea: )/);
        expect((error as Error).message).toMatch(/\d{4}-\d{2}-\d{2}/);
        refused++;
        continue;
      }
      planned++;
      expect(doubleBookings(schedule), preset.name).toEqual([]);
      expect(incompleteBatches(schedule, seaRings), preset.name).toEqual([]);
      expect(() => validateSchedule(schedule)).not.toThrow();
    }
    // Both outcomes occur, so the property covers dense plans, not only easy ones.
    expect(planned).toBeGreaterThan(60);
    expect(refused).toBeGreaterThan(3);
  });

  it.each(presetNames())('%s: no double booking, every reached stage allocated', (name) => {
    const schedule = planSchedule(name);
    expect(doubleBookings(schedule)).toEqual([]);
    expect(incompleteBatches(schedule, loadPreset(name).seaRings)).toEqual([]);
  });
});

describe('the presets', () => {
  it('40-batch: 20 per geography, completed batches and active ones in every stage on asOf', () => {
    const schedule = planSchedule('40-batch');
    const stats = scheduleStats(schedule);
    expect(schedule.batches).toHaveLength(40);
    expect(stats.geographies['Faroe Islands']?.batches).toBe(20);
    expect(stats.geographies.Scotland?.batches).toBe(20);
    expect(stats.activeStages.length).toBeGreaterThanOrEqual(5);
    expect(stats.activeStages).toEqual(['Egg&Alevin', 'Fry', 'Parr', 'Smolt', 'Post-Smolt', 'Adult']);
    expect(stats.completed).toBeGreaterThan(15);
    expect(stats.active).toBeGreaterThan(12);
    expect(schedule.batches[0]?.batchNumber).toBe('FAR-2021-001');
    expect(schedule.batches.at(-1)?.batchNumber).toBe('SCO-2025-020');
    expect(doubleBookings(schedule)).toEqual([]);
  });

  it('full-saturation: about 144 batches at the target saturation, spread over every station and area', () => {
    const schedule = planSchedule('full-saturation');
    const stats = scheduleStats(schedule);
    expect(schedule.batches.length).toBeGreaterThanOrEqual(140);
    expect(schedule.batches.length).toBeLessThanOrEqual(150);
    expect(stats.geographies['Faroe Islands']?.batches).toBe(stats.geographies.Scotland?.batches);
    // The tightest resource, Scotland's 400 sea rings, is booked close to 85 % of the time.
    expect(stats.saturation.resource).toBe('Scotland sea rings');
    expect(stats.saturation.share).toBeGreaterThan(0.8);
    expect(stats.saturation.share).toBeLessThan(0.9);
    expect(stats.activeStages).toHaveLength(6);
    expect(doubleBookings(schedule)).toEqual([]);
    for (const geography of ['Faroe Islands', 'Scotland'] as const) {
      const geo = geographyLayout(geography);
      const mine = schedule.batches.filter((b) => b.geography === geography);
      const stations = new Set(mine.flatMap((b) => b.freshwater.map((f) => f.hall.slice(0, -'-Hall-A'.length))));
      const areas = new Set(mine.flatMap((b) => (b.sea ? [b.sea.area] : [])));
      expect(stations.size).toBe(geo.stations);
      expect(areas.size).toBe(geo.areas);
      // A batch stays in one station through its freshwater life.
      expect(mine.filter((b) => new Set(b.freshwater.map((f) => f.hall.slice(0, -7))).size > 1)).toEqual([]);
    }
  });

  it('uat: the ladder is in the water at every rung on asOf, with completed history', () => {
    const schedule = planSchedule('uat');
    const stats = scheduleStats(schedule);
    const ages = loadPreset('uat').ladder!.ages;
    for (const code of ['FAR', 'SCO']) {
      for (const age of ages) {
        const batch = schedule.batches.find((b) => b.batchNumber === `${code}-UAT-${String(age).padStart(3, '0')}`);
        expect(batch?.startDate).toBe(addDays(schedule.asOf, -age));
        if (batch?.sea) {
          // Even growing fast, the batch is not harvested before asOf.
          const input = { geography: batch.geography, startDay: dayNumber(batch.startDate), stageDays: 90, adultMaxDays: 450, harvestTargetKg: batch.harvestTargetKg, rings: 20 };
          expect(lastHarvestDay(input, 'best')).toBeGreaterThan(age);
        }
      }
    }
    expect(stats.active).toBe(2 * ages.length);
    expect(stats.completed).toBe(20);
    expect(stats.activeStages).toHaveLength(6);
  });

  it('tiny: a few young batches in four stages', () => {
    const stats = scheduleStats(planSchedule('tiny'));
    expect(stats.batches).toBe(4);
    expect(stats.activeStages).toEqual(['Egg&Alevin', 'Fry', 'Parr', 'Smolt']);
  });

  it('refuses a ladder rung no harvest target keeps in the water, naming the oldest that fits', () => {
    expect(() => planSchedule({ ...loadPreset('uat'), ladder: { label: 'UAT', ages: [860] } })).toThrow(
      /ladder age 860 on 2025-11-21: batch FAR-UAT-860 would be harvested before then/,
    );
  });

  it('reports a farm too small for the plan: resource, capacity, need and day', () => {
    const dense = { ...base(), batches: 60, staggerDays: 4 };
    expect(() => planSchedule(dense)).toThrow(/^Scotland freshwater: 10 Hall-As \(Egg&Alevin\), the plan needs 11 on \d{4}-\d{2}-\d{2}: batch SCO-\d{4}-\d{3} needs a Hall-A from/);
    const sea = { ...base(), batches: 200, staggerDays: 8 };
    expect(() => planSchedule(sea)).toThrow(/^Scotland sea: 400 rings, the plan needs 420 on \d{4}-\d{2}-\d{2}: batch SCO-\d{4}-\d{3} needs 20 rings in one area/);
  });

  it('validates presets: key path, bad value and what is allowed', () => {
    const auto = { ...loadPreset('full-saturation'), staggerDays: 13 };
    expect(() => parsePreset(auto, 'p.yaml')).toThrow(/p\.yaml: staggerDays = 13: with batches: auto the stagger is derived/);
    expect(() => parsePreset({ ...base(), seaRings: 25 }, 'p.yaml')).toThrow(/p\.yaml: seaRings = 25: /);
    expect(() => parsePreset({ ...base(), asOf: '2025-13-01' }, 'p.yaml')).toThrow(/asOf = "2025-13-01": expected a YYYY-MM-DD date/);
    expect(() => parsePreset({ ...base(), geographies: ['Iceland'] }, 'p.yaml')).toThrow(/geographies\[0\] = "Iceland"/);
    expect(() => parsePreset({ ...base(), ladder: { label: 'uat', ages: [5] } }, 'p.yaml')).toThrow(/ladder\.label = "uat": expected 1-10 upper-case/);
  });
});

describe('schedule files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aquaseed-schedule-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(presetNames())('%s round-trips through YAML with the same key', (name) => {
    const schedule = planSchedule(name);
    const yaml = scheduleToYaml(schedule);
    const back = parseScheduleYaml(yaml, `${name}.yaml`);
    expect(back).toEqual(schedule);
    expect(scheduleToYaml(back)).toBe(yaml);
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, yaml);
    expect(cacheKey(file)).toBe(cacheKey(name));
    expect(scheduleKey(resolveSchedule(file))).toBe(scheduleKey(schedule));
  });

  it('plans a preset file of one’s own wherever a preset name is accepted', () => {
    const file = join(dir, 'my-farm.yaml');
    writeFileSync(file, ['name: my-farm', 'seed: mine', 'asOf: "2025-06-01"', 'geographies: [Scotland]', 'batches: 3', 'staggerDays: 60',
      'youngestAgeDays: 10', 'eggs: 3500000', 'stageDays: 90', 'adultMaxDays: 450', 'harvestTargetKg: [5, 6]', 'seaRings: 10'].join('\n'));
    const schedule = resolveSchedule(file);
    expect(schedule.batches.map((b) => b.batchNumber)).toEqual(['SCO-2025-001', 'SCO-2025-002', 'SCO-2025-003']);
    expect(cacheKey(file)).toBe(scheduleKey(schedule));
    writeFileSync(file, 'name: my-farm\nseed: mine\nbatches: lots\n');
    expect(() => resolveSchedule(file)).toThrow(/my-farm\.yaml:1:1: asOf = \(missing\): a required key is missing \(Invalid input: expected string\) \(and 7 more problems\)/);
    expect(() => resolveSchedule(join(dir, 'missing.yaml'))).toThrow(/no such file: .*missing\.yaml/);
  });

  it('normalises what YAML readers vary in: key order, number spelling, unquoted dates', () => {
    const schedule = planSchedule('tiny');
    const yaml = scheduleToYaml(schedule)
      .replace(`asOf: ${schedule.asOf}`, `asOf: "${schedule.asOf}"`)
      .replace('eggs: 3500000', 'eggs: 3.5e+6')
      .replace(/^version: 1\npreset: tiny\n/m, 'preset: tiny\nversion: 1\n');
    expect(yaml).toContain('eggs: 3.5e+6');
    expect(cacheKey(parseScheduleYaml(yaml, 'edited.yaml'))).toBe(cacheKey('tiny'));
    // A YAML 1.1 reader hands over Date objects for unquoted dates.
    expect(validateSchedule({ ...schedule, asOf: new Date(`${schedule.asOf}T00:00:00Z`) })).toEqual(schedule);
  });

  it('ignores workers in the key: contents do not depend on the worker count', () => {
    const schedule = planSchedule('40-batch');
    expect(schedule.workers).toBe(2);
    expect(scheduleKey({ ...schedule, workers: 7 })).toBe(scheduleKey(schedule));
  });

  it('reports an overlap exactly: a copy of a batch started a month later in the same containers', () => {
    const schedule = structuredClone(planSchedule('single-batch'));
    const first = schedule.batches[0]!;
    const copy = { ...structuredClone(first), index: 1, batchNumber: 'FAR-2023-002', startDate: '2023-02-01' };
    copy.sea!.endDay = first.sea!.endDay + 10; // rings booked to at least its own worst case
    schedule.batches.push(copy);
    expect(() => validateSchedule(schedule, 'two.yaml')).toThrow(
      'container FI-FW-01-A-C01: FAR-2023-001 [2023-01-02, 2023-04-02) overlaps FAR-2023-002 [2023-02-01, 2023-05-02)',
    );
  });

  it('reports what the engine would trip over: unknown containers, wrong halls, missing stages, short ring bookings', () => {
    const planned = planSchedule('40-batch');
    const edit = (change: (s: Schedule) => void) => {
      const s = structuredClone(planned);
      change(s);
      try {
        validateSchedule(s, 'farm.yaml');
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(edit((s) => (s.batches[0]!.freshwater[0]!.containers[0] = 'FI-FW-13-A-C01'))).toContain(
      'batches[0] (FAR-2021-001).freshwater[0].containers[0] = "FI-FW-13-A-C01": not a Faroe Islands freshwater container',
    );
    expect(edit((s) => (s.batches[0]!.freshwater[1]!.hall = s.batches[0]!.freshwater[1]!.hall.replace('Hall-B', 'Hall-C')))).toContain('fry lives in Hall-Bs');
    expect(edit((s) => s.batches[0]!.freshwater.splice(2, 1))).toContain('no parr containers, but the batch reaches that stage on');
    expect(edit((s) => (s.batches[0]!.sea!.endDay = 700))).toMatch(/sea\.endDay = 700: the batch may hold its rings until day \d+/);
    expect(edit((s) => (s.batches[0]!.sea!.rings[0] = 'S-SEA-01-Ring-01'))).toContain('not a Faroe Islands ring');
    expect(edit((s) => ((s.batches[0] as { eggs: unknown }).eggs = '3500000'))).toMatch(/^farm\.yaml: batches\[0\]\.eggs = "3500000": /);
    expect(edit((s) => ((s.batches[0] as unknown as Record<string, unknown>).station = 'x'))).toContain('farm.yaml: batches[0].station = "x": not a known key; the keys here are index, batchNumber, geography, startDate');
    expect(edit((s) => (s.batches[1]!.batchNumber = s.batches[0]!.batchNumber))).toContain('batch number also used by batches[0]');
  });
});
