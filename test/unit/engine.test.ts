/**
 * The per-batch engine on a whole lifecycle (egg to harvest) and on a date-bounded run: quality
 * criteria, row validity, references, linkage to assignments, fish and feed accounting, and
 * determinism.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRow } from '../../src/db/row-check.js';
import { FORWARD_LOOKING_COLUMNS } from '../../src/engine/forward-dates.js';
import { tables, type Row, type TableName } from '../../src/schema/tables/index.js';
import { resolveFeedContainer } from '../../src/engine/feeding.js';
import { tgcStep } from '../../src/core/growth.js';
import { addDays, daysBetween } from '../../src/core/time.js';
import { STAGE_TGC } from '../../src/core/tuning.js';
import type { FarmModel } from '../../src/core/model.js';
import { runBatch, type EngineRun } from '../support/engine-run.js';
import { buildTestFarm, buildTestSchedule } from '../support/test-farm.js';

/** Every table the engine writes in this scope. */
const ENGINE_TABLES = [
  'batch_batch',
  'batch_creationworkflow',
  'batch_creationaction',
  'batch_batchcontainerassignment',
  'batch_batchtransferworkflow',
  'batch_transferaction',
  'batch_mortalityevent',
  'batch_growthsample',
  'batch_individualgrowthobservation',
  'environmental_environmentalreading',
  'inventory_feedpurchase',
  'inventory_feedcontainerstock',
  'inventory_feedingevent',
  'harvest_harvestevent',
  'harvest_harvestlot',
] as const satisfies readonly TableName[];

/** Columns that look forward by meaning, so may lie after asOf. */
const FORWARD_LOOKING = new Set(FORWARD_LOOKING_COLUMNS);

type Assignment = Row<'batch_batchcontainerassignment'>;

const testFarm = buildTestFarm();
const fullSchedule = buildTestSchedule();
let fullRun: EngineRun | undefined;
/** The full lifecycle, simulated once for every suite that inspects it. */
function fullLifecycle(): EngineRun {
  fullRun ??= runBatch(testFarm, fullSchedule);
  return fullRun;
}

function rowsOf<N extends TableName>(run: EngineRun, table: N): Row<N>[] {
  return run.sink.of(table);
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(item);
  }
  return groups;
}

function activeOn(a: Assignment, date: string): boolean {
  return a.assignment_date <= date && (a.departure_date === null || date < a.departure_date);
}

/** checkRow over every row of every table (every `stride`-th reading: they are all built alike). */
function rowProblems(run: EngineRun, readingStride = 1): string[] {
  const problems: string[] = [];
  for (const table of ENGINE_TABLES) {
    const rows = rowsOf(run, table) as unknown as Record<string, unknown>[];
    const stride = table === 'environmental_environmentalreading' ? readingStride : 1;
    for (let i = 0; i < rows.length && problems.length < 20; i += stride) problems.push(...checkRow(table, rows[i]!));
  }
  return problems;
}

function digest(run: EngineRun): string {
  const hash = createHash('sha256');
  for (const table of ENGINE_TABLES) {
    hash.update(table);
    for (const row of rowsOf(run, table)) hash.update(JSON.stringify(row));
  }
  return hash.digest('hex');
}

/** Fish each assignment received: eggs placed or fish transferred in. */
function receivedByAssignment(run: EngineRun): Map<number, number> {
  const received = new Map<number, number>();
  for (const a of rowsOf(run, 'batch_creationaction')) received.set(a.dest_assignment_id, a.egg_count_actual ?? 0);
  for (const a of rowsOf(run, 'batch_transferaction')) {
    received.set(a.dest_assignment_id!, (received.get(a.dest_assignment_id!) ?? 0) + a.transferred_count);
  }
  return received;
}

/** Shared checks of any run: references, linkage, container exclusivity, fish and feed accounting. */
function describeInvariants(name: string, setup: () => { farm: FarmModel; run: () => EngineRun }): void {
  describe(name, () => {
    let farm: FarmModel;
    let run: EngineRun;
    let batchId: number;
    let assignments: Map<number, Assignment>;

    beforeAll(() => {
      const s = setup();
      farm = s.farm;
      run = s.run();
      batchId = rowsOf(run, 'batch_batch')[0]!.id;
      assignments = new Map(rowsOf(run, 'batch_batchcontainerassignment').map((a) => [a.id, a]));
    });

    it('writes rows valid for AquaMind models', () => {
      expect(rowProblems(run, 3)).toEqual([]);
    });

    it('gives every row a unique ID from the batch block', () => {
      for (const table of ENGINE_TABLES) {
        const ids = rowsOf(run, table).map((r) => (r as { id: number }).id);
        expect(new Set(ids).size, table).toBe(ids.length);
        expect(ids.filter((id) => id <= 1_000_000 || id >= 2_000_000), table).toEqual([]);
      }
    });

    it('references only rows and master data that exist', () => {
      const ids = (table: TableName) => new Set(rowsOf(run, table).map((r) => (r as { id: number }).id));
      const samples = ids('batch_growthsample');
      const events = ids('harvest_harvestevent');
      const purchases = ids('inventory_feedpurchase');
      const workflows = ids('batch_batchtransferworkflow');
      const creation = ids('batch_creationworkflow');
      const stageIds = new Set(farm.stages.map((s) => s.id));
      const feedIds = new Set(farm.feeds.map((f) => f.id));
      const gradeIds = new Set(farm.productGrades.map((g) => g.id));
      const bad: string[] = [];
      const need = (ok: boolean, what: string) => {
        if (!ok && bad.length < 10) bad.push(what);
      };
      for (const a of assignments.values()) {
        need(a.batch_id === batchId && farm.containers.has(a.container_id) && stageIds.has(a.lifecycle_stage_id), `assignment ${a.id}`);
      }
      for (const a of rowsOf(run, 'batch_creationaction')) need(assignments.has(a.dest_assignment_id) && creation.has(a.workflow_id), `creation action ${a.id}`);
      for (const a of rowsOf(run, 'batch_transferaction')) {
        need(
          assignments.has(a.source_assignment_id) && assignments.has(a.dest_assignment_id!) && workflows.has(a.workflow_id),
          `transfer action ${a.id}`,
        );
        need(assignments.get(a.dest_assignment_id!)?.container_id === a.dest_container_id, `transfer action ${a.id} dest container`);
      }
      for (const m of rowsOf(run, 'batch_mortalityevent')) need(m.batch_id === batchId && assignments.has(m.assignment_id!), `mortality ${m.id}`);
      for (const f of rowsOf(run, 'inventory_feedingevent')) {
        need(f.batch_id === batchId && assignments.has(f.batch_assignment_id!) && feedIds.has(f.feed_id), `feeding ${f.id}`);
      }
      for (const g of rowsOf(run, 'batch_growthsample')) need(assignments.has(g.assignment_id), `sample ${g.id}`);
      for (const o of rowsOf(run, 'batch_individualgrowthobservation')) need(samples.has(o.growth_sample_id), `observation ${o.id}`);
      for (const e of rowsOf(run, 'harvest_harvestevent')) need(e.batch_id === batchId && assignments.has(e.assignment_id), `harvest ${e.id}`);
      for (const l of rowsOf(run, 'harvest_harvestlot')) need(events.has(l.event_id) && gradeIds.has(l.product_grade_id), `lot ${l.id}`);
      for (const s of rowsOf(run, 'inventory_feedcontainerstock')) {
        need(purchases.has(s.feed_purchase_id) && farm.feedContainers.has(s.feed_container_id), `stock ${s.id}`);
      }
      for (const p of rowsOf(run, 'inventory_feedpurchase')) need(feedIds.has(p.feed_id), `purchase ${p.id}`);
      const sensorPairs = new Set<string>();
      for (const c of farm.containers.values()) for (const s of c.sensors) sensorPairs.add(`${c.id}:${s.sensorId}:${s.parameterId}`);
      for (const r of rowsOf(run, 'environmental_environmentalreading')) {
        need(sensorPairs.has(`${r.container_id}:${r.sensor_id}:${r.parameter_id}`) && r.batch_id === batchId, `reading ${r.id}`);
      }
      expect(bad).toEqual([]);
    });

    it('links readings, mortality, feeding and samples to an assignment active in that container that day', () => {
      const bad: string[] = [];
      const check = (what: string, assignmentId: number | null, containerId: number | null, date: string) => {
        const a = assignmentId === null ? undefined : assignments.get(assignmentId);
        const ok = a !== undefined && a.batch_id === batchId && (containerId === null || a.container_id === containerId) && activeOn(a, date);
        if (!ok && bad.length < 10) bad.push(`${what} on ${date}`);
      };
      for (const r of rowsOf(run, 'environmental_environmentalreading')) {
        check(`reading ${r.id}`, r.batch_container_assignment_id, r.container_id, r.reading_time.slice(0, 10));
      }
      for (const m of rowsOf(run, 'batch_mortalityevent')) check(`mortality ${m.id}`, m.assignment_id, null, m.event_date);
      for (const f of rowsOf(run, 'inventory_feedingevent')) check(`feeding ${f.id}`, f.batch_assignment_id, f.container_id, f.feeding_date);
      for (const g of rowsOf(run, 'batch_growthsample')) check(`sample ${g.id}`, g.assignment_id, null, g.sample_date);
      expect(bad).toEqual([]);
    });

    it('never puts two assignments in one container on the same day', () => {
      for (const [containerId, list] of groupBy([...assignments.values()], (a) => a.container_id)) {
        const sorted = [...list].sort((a, b) => a.assignment_date.localeCompare(b.assignment_date));
        for (let i = 1; i < sorted.length; i++) {
          const previous = sorted[i - 1]!;
          expect(previous.departure_date, `container ${containerId}`).not.toBeNull();
          expect(previous.departure_date! <= sorted[i]!.assignment_date, `container ${containerId}`).toBe(true);
        }
      }
    });

    it('accounts for every fish: received minus deaths is what an assignment holds or hands on', () => {
      const received = receivedByAssignment(run);
      const deaths = groupBy(rowsOf(run, 'batch_mortalityevent'), (m) => m.assignment_id!);
      for (const a of assignments.values()) {
        const died = sum(deaths.get(a.id) ?? [], (m) => m.count);
        expect(received.get(a.id), `assignment ${a.id} received fish`).toBeGreaterThan(0);
        expect(received.get(a.id)! - died, `assignment ${a.id}`).toBe(a.population_count);
      }
    });

    it('moves exactly the fish that leave: sources empty into destinations, nothing doubled', () => {
      const actions = groupBy(rowsOf(run, 'batch_transferaction'), (a) => a.workflow_id);
      for (const workflow of rowsOf(run, 'batch_batchtransferworkflow')) {
        const list = actions.get(workflow.id) ?? [];
        const date = workflow.actual_start_date!;
        const sources = [...assignments.values()].filter((a) => a.departure_date === date && a.lifecycle_stage_id === workflow.source_lifecycle_stage_id);
        const dests = [...assignments.values()].filter((a) => a.assignment_date === date && a.lifecycle_stage_id === workflow.dest_lifecycle_stage_id);
        const moved = sum(list, (a) => a.transferred_count);
        expect(moved).toBe(sum(sources, (a) => a.population_count));
        expect(workflow.total_transferred_count).toBe(moved);
        expect(workflow.total_source_count).toBe(moved);
        expect(workflow.total_actions_planned).toBe(list.length);
        expect(workflow.actions_completed).toBe(list.length);
        expect(workflow.status).toBe('COMPLETED');
        expect(workflow.workflow_number).toBe(`TRF-${rowsOf(run, 'batch_batch')[0]!.batch_number}-D${String(daysBetween(rowsOf(run, 'batch_batch')[0]!.start_date, date)).padStart(3, '0')}`);
        for (const source of sources) {
          let left = source.population_count;
          for (const a of list.filter((x) => x.source_assignment_id === source.id)) {
            expect(a.source_population_before).toBe(left);
            expect(a.transferred_count).toBeLessThanOrEqual(a.source_population_before);
            expect(a.mortality_during_transfer).toBe(0);
            left -= a.transferred_count;
          }
          expect(left, `source ${source.id} emptied`).toBe(0);
        }
        const receivers = new Set(list.map((a) => a.dest_assignment_id));
        for (const dest of dests) expect(receivers.has(dest.id), `destination ${dest.id} has an action`).toBe(true);
      }
    });

    it('covers every meal from stock, first in first out, and never goes below zero', () => {
      const containers = farm.containers;
      const purchases = new Map(rowsOf(run, 'inventory_feedpurchase').map((p) => [p.id, p]));
      type Entry = { at: string; kg: number };
      const bins = new Map<string, { in: Entry[]; out: Entry[]; left: number }>();
      const bin = (feedContainerId: number, feedId: number) => {
        const key = `${feedContainerId}:${feedId}`;
        let b = bins.get(key);
        if (!b) bins.set(key, (b = { in: [], out: [], left: 0 }));
        return b;
      };
      for (const s of rowsOf(run, 'inventory_feedcontainerstock')) {
        const p = purchases.get(s.feed_purchase_id)!;
        expect(s.quantity_kg).toBeGreaterThanOrEqual(0);
        expect(s.quantity_kg).toBeLessThanOrEqual(p.quantity_kg);
        const b = bin(s.feed_container_id, p.feed_id);
        b.in.push({ at: s.entry_date, kg: p.quantity_kg });
        b.left += s.quantity_kg;
      }
      for (const f of rowsOf(run, 'inventory_feedingevent')) {
        const feedContainer = resolveFeedContainer(farm, containers.get(f.container_id)!);
        bin(feedContainer.id, f.feed_id).out.push({ at: `${f.feeding_date} ${f.feeding_time}:00+00`, kg: f.amount_kg });
      }
      for (const [key, b] of bins) {
        const bought = sum(b.in, (e) => e.kg);
        const fed = sum(b.out, (e) => e.kg);
        expect(Math.abs(bought - fed - b.left), `bin ${key} balances`).toBeLessThan(0.01 * b.in.length + 1e-6);
        // Replay: before each meal, what was delivered by then covers everything fed so far.
        let delivered = 0;
        let eaten = 0;
        let i = 0;
        const ins = [...b.in].sort((x, y) => x.at.localeCompare(y.at));
        for (const meal of b.out) {
          while (i < ins.length && ins[i]!.at <= meal.at) delivered += ins[i++]!.kg;
          eaten += meal.kg;
          expect(eaten, `bin ${key} at ${meal.at}`).toBeLessThanOrEqual(delivered + 1e-6);
        }
      }
    });

    it('feeds each stage its own feed, from Fry on', () => {
      const feedOfStage = new Map(farm.feeds.filter((f) => f.stageOrder !== null).map((f) => [f.stageOrder, f.id]));
      const orderOf = new Map(farm.stages.map((s) => [s.id, s.order]));
      const bad = rowsOf(run, 'inventory_feedingevent').filter((f) => {
        const order = orderOf.get(assignments.get(f.batch_assignment_id!)!.lifecycle_stage_id)!;
        const plausible = f.amount_kg > 0 && f.feeding_percentage! > 0 && f.feeding_percentage! < 10;
        return order < 2 || f.feed_id !== feedOfStage.get(order as 2) || !plausible;
      });
      expect(bad.slice(0, 5)).toEqual([]);
    });

    it('keeps weights inside each stage and lengths consistent with weight', () => {
      const stageById = new Map(farm.stages.map((s) => [s.id, s]));
      for (const a of assignments.values()) {
        const stage = stageById.get(a.lifecycle_stage_id)!;
        expect(a.avg_weight_g!, `assignment ${a.id}`).toBeLessThanOrEqual(stage.expectedWeightMaxG);
        expect(a.biomass_kg).toBeCloseTo((a.population_count * a.avg_weight_g!) / 1000, -1);
      }
      const observations = groupBy(rowsOf(run, 'batch_individualgrowthobservation'), (o) => o.growth_sample_id);
      for (const g of rowsOf(run, 'batch_growthsample')) {
        const obs = observations.get(g.id) ?? [];
        expect(obs.length).toBe(30);
        expect(g.sample_size).toBe(30);
        // Aggregates are the observations' statistics rounded to the column's 2 decimals.
        expect(Math.abs(g.avg_weight_g - sum(obs, (o) => o.weight_g) / 30)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(Math.abs(g.avg_length_cm! - sum(obs, (o) => o.length_cm) / 30)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(g.min_weight_g).toBe(Math.min(...obs.map((o) => o.weight_g)));
        expect(g.max_weight_g).toBe(Math.max(...obs.map((o) => o.weight_g)));
        expect(g.condition_factor! >= 0.9 && g.condition_factor! <= 1.45, `sample ${g.id} K ${g.condition_factor}`).toBe(true);
        expect(g.std_deviation_weight! > 0 && g.std_deviation_weight! < 0.4 * g.avg_weight_g).toBe(true);
      }
    });
  });
}

describe('a full lifecycle (3.5 M eggs, Faroe, 20 rings, 5.5 kg target)', () => {
  const farm = testFarm;
  const schedule = fullSchedule;
  let run: EngineRun;
  const all = (table: TableName) => run.sink.of(table);

  beforeAll(() => {
    run = fullLifecycle();
  });

  it('runs from egg to harvest and completes', () => {
    const batch = rowsOf(run, 'batch_batch');
    expect(batch).toHaveLength(1);
    const lastHarvest = rowsOf(run, 'harvest_harvestevent').at(-1)!.event_date.slice(0, 10);
    expect(batch[0]).toMatchObject({ status: 'COMPLETED', actual_end_date: lastHarvest, lifecycle_stage_id: 6, batch_number: 'FAR-2022-001' });
    expect(batch[0]!.notes).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(run.outcome.status).toBe('COMPLETED');
    expect(run.outcome.population).toBe(0);
    expect(run.outcome.days).toBe(daysBetween(schedule.batches[0]!.startDate, lastHarvest) + 1);
    expect(run.yields).toBe(run.outcome.days);
  });

  it('writes the expected number of rows per table', () => {
    const counts = Object.fromEntries(ENGINE_TABLES.map((t) => [t, all(t).length]));
    expect(counts).toMatchObject({
      batch_batch: 1,
      batch_creationworkflow: 1,
      batch_creationaction: 10,
      batch_batchcontainerassignment: 70,
      batch_batchtransferworkflow: 5,
      batch_transferaction: 60,
      harvest_harvestevent: 20,
      harvest_harvestlot: 100,
    });
    const harvestDay = run.outcome.days - 1;
    // 7 FW parameters × 6 a day × 10 tanks × 450 days, then 3 sea parameters × 6 a day per ring-day.
    const ringDays = sum(rowsOf(run, 'batch_batchcontainerassignment').filter((a) => a.lifecycle_stage_id === 6), (a) =>
      daysBetween(a.assignment_date, a.departure_date!),
    );
    expect(counts.environmental_environmentalreading).toBe(7 * 6 * 10 * 450 + 3 * 6 * ringDays);
    expect(counts.environmental_environmentalreading).toBeGreaterThan(280_000);
    expect(counts.environmental_environmentalreading).toBeLessThan(360_000);
    expect(counts.inventory_feedingevent).toBe(2 * 10 * 360 + 2 * ringDays);
    expect(counts.batch_individualgrowthobservation).toBe(30 * counts.batch_growthsample!);
    expect(harvestDay).toBeGreaterThan(700);
    expect(harvestDay).toBeLessThan(900);
    const total = sum(ENGINE_TABLES, (t) => all(t).length);
    expect(total).toBeGreaterThan(330_000);
  });

  it('meets the documented quality criteria', () => {
    const eggs = schedule.batches[0]!.eggs;
    const workflows = rowsOf(run, 'batch_batchtransferworkflow');
    const fryEntry = workflows.find((w) => w.workflow_number.endsWith('-D090'))!;
    expect(fryEntry.total_transferred_count).toBeGreaterThanOrEqual(2_800_000);
    expect(fryEntry.total_transferred_count).toBeLessThanOrEqual(3_200_000);

    const lots = rowsOf(run, 'harvest_harvestlot');
    const harvestedFish = sum(lots, (l) => l.unit_count);
    const harvestedKg = sum(lots, (l) => l.live_weight_kg);
    expect(harvestedFish).toBe(run.outcome.harvestedFish);
    expect(harvestedFish / eggs).toBeGreaterThanOrEqual(0.83);
    expect(harvestedFish / eggs).toBeLessThanOrEqual(0.87);

    const feedKg = sum(rowsOf(run, 'inventory_feedingevent'), (f) => f.amount_kg);
    const fcr = feedKg / (harvestedKg - (eggs * 0.1) / 1000);
    expect(fcr).toBeGreaterThanOrEqual(0.9);
    expect(fcr).toBeLessThanOrEqual(3.0);
    expect(feedKg).toBeCloseTo(run.outcome.feedKg, 1);

    const averageKg = harvestedKg / harvestedFish;
    expect(averageKg).toBeGreaterThanOrEqual(4.5);
    expect(averageKg).toBeLessThanOrEqual(6.5);
    expect(Math.abs(averageKg - schedule.batches[0]!.harvestTargetKg)).toBeLessThan(0.05);
  });

  it('covers all six stages with 10 containers each in freshwater and the plan rings at sea', () => {
    const byStage = groupBy(rowsOf(run, 'batch_batchcontainerassignment'), (a) => a.lifecycle_stage_id);
    expect([...byStage.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const stage of [1, 2, 3, 4, 5]) expect(byStage.get(stage)).toHaveLength(10);
    expect(byStage.get(6)).toHaveLength(20);
    for (const a of byStage.get(6)!) expect(farm.containers.get(a.container_id)!.areaId).toBe(1);
    for (const a of rowsOf(run, 'batch_batchcontainerassignment')) {
      expect(a.is_active).toBe(false);
      expect(a.departure_date).not.toBeNull();
    }
  });

  it('places the eggs evenly in the Egg&Alevin containers', () => {
    const actions = rowsOf(run, 'batch_creationaction');
    expect(sum(actions, (a) => a.egg_count_actual!)).toBe(3_500_000);
    expect(rowsOf(run, 'batch_creationworkflow')[0]).toMatchObject({ workflow_number: 'CRT-FAR-2022-001', status: 'COMPLETED', total_eggs_received: 3_500_000 });
    for (const a of actions) expect(a.egg_count_actual).toBe(350_000);
  });

  it('harvests every ring into five graded lots that add up to its fish', () => {
    const events = rowsOf(run, 'harvest_harvestevent');
    const lots = groupBy(rowsOf(run, 'harvest_harvestlot'), (l) => l.event_id);
    const assignments = new Map(rowsOf(run, 'batch_batchcontainerassignment').map((a) => [a.id, a]));
    for (const event of events) {
      const ring = assignments.get(event.assignment_id)!;
      const eventLots = lots.get(event.id)!;
      expect(eventLots).toHaveLength(5);
      expect(sum(eventLots, (l) => l.unit_count)).toBe(ring.population_count);
      expect(sum(eventLots, (l) => l.live_weight_kg)).toBeCloseTo(ring.biomass_kg, -1);
      expect(ring.departure_date).toBe(event.event_date.slice(0, 10));
      expect(event.document_ref).toBe(`HRV-FAR-2022-001-${farm.containers.get(ring.container_id)!.name}`);
      for (const lot of eventLots) expect(lot.gutted_weight_kg!).toBeLessThan(lot.live_weight_kg);
    }
    const superior = sum(rowsOf(run, 'harvest_harvestlot').filter((l) => l.product_grade_id === 1), (l) => l.unit_count);
    expect(superior / run.outcome.harvestedFish).toBeCloseTo(0.1, 3);
  });

  it('grows with the temperature its readings are generated around', () => {
    const readings = rowsOf(run, 'environmental_environmentalreading');
    const ring = rowsOf(run, 'batch_batchcontainerassignment').find((a) => a.lifecycle_stage_id === 6)!;
    const dailyMean = new Map<string, number[]>();
    for (const r of readings) {
      if (r.batch_container_assignment_id !== ring.id || r.parameter_id !== 4) continue;
      const date = r.reading_time.slice(0, 10);
      let list = dailyMean.get(date);
      if (!list) dailyMean.set(date, (list = []));
      list.push(r.value);
    }
    const seaTransfer = rowsOf(run, 'batch_transferaction').find((a) => a.dest_assignment_id === ring.id)!;
    let weight = seaTransfer.measured_avg_weight_g!;
    for (const values of dailyMean.values()) weight = tgcStep(weight, STAGE_TGC[6], sum(values, (v) => v) / values.length);
    // The first ring leaves on the campaign's first morning, after the growth of the day before.
    expect(Math.abs(weight / ring.avg_weight_g! - 1)).toBeLessThan(0.01);
  });

  it('reads a controlled hatchery and a seasonal sea', () => {
    const byMonth = new Map<string, { sea: number[]; fw: number[] }>();
    const seaContainers = new Set(farm.areas.flatMap((a) => a.containerIds));
    for (const r of rowsOf(run, 'environmental_environmentalreading')) {
      if (r.parameter_id !== 4) continue;
      const month = r.reading_time.slice(0, 7);
      let m = byMonth.get(month);
      if (!m) byMonth.set(month, (m = { sea: [], fw: [] }));
      (seaContainers.has(r.container_id!) ? m.sea : m.fw).push(r.value);
    }
    const mean = (v: number[]) => sum(v, (x) => x) / v.length;
    const values = [...byMonth.values()].flatMap((m) => [...m.sea, ...m.fw]);
    expect(Math.min(...values)).toBeGreaterThan(4);
    expect(Math.max(...values)).toBeLessThan(16);
    const seaMeans = [...byMonth.values()].filter((m) => m.sea.length > 0).map((m) => mean(m.sea));
    expect(Math.max(...seaMeans) - Math.min(...seaMeans)).toBeGreaterThan(1.2);
    const august = byMonth.get('2023-08')!.sea;
    const march = byMonth.get('2023-03')!.sea;
    expect(mean(august)).toBeGreaterThan(mean(march) + 1);
    for (const m of byMonth.values()) {
      if (m.fw.length === 0) continue;
      expect(Math.max(...m.fw) - Math.min(...m.fw)).toBeLessThan(3);
    }
  });

  it('spreads the rings over every barge of the area', () => {
    const adultFeed = farm.feeds.find((f) => f.stageOrder === 6)!.id;
    const purchases = new Map(rowsOf(run, 'inventory_feedpurchase').map((p) => [p.id, p]));
    const barges = new Set(
      rowsOf(run, 'inventory_feedcontainerstock')
        .filter((s) => purchases.get(s.feed_purchase_id)!.feed_id === adultFeed)
        .map((s) => s.feed_container_id),
    );
    expect([...barges].sort()).toEqual(farm.areas[0]!.feedContainerIds);
  });

  it('samples growth weekly from Fry on, in every active container', () => {
    const start = schedule.batches[0]!.startDate;
    const samples = rowsOf(run, 'batch_growthsample');
    for (const g of samples) expect(daysBetween(start, g.sample_date) % 7).toBe(0);
    const dates = new Set(samples.map((g) => g.sample_date));
    expect(dates.has(addDays(start, 91))).toBe(true);
    expect([...dates].some((d) => daysBetween(start, d) < 90)).toBe(false);
    expect(samples.filter((g) => g.sample_date === addDays(start, 91))).toHaveLength(10);
  });

  it('is deterministic: the same input gives identical rows', () => {
    const again = runBatch(farm, schedule);
    expect(again.outcome).toEqual(run.outcome);
    for (const table of ENGINE_TABLES) {
      if (table === 'environmental_environmentalreading' || table === 'batch_individualgrowthobservation') continue;
      expect(again.sink.of(table), table).toEqual(run.sink.of(table));
    }
    expect(digest(again)).toBe(digest(run));
    const otherSeed = runBatch(farm, buildTestSchedule({ seed: 'another seed' }));
    expect(digest(otherSeed)).not.toBe(digest(run));
  });
});

describeInvariants('invariants of a full lifecycle', () => ({ farm: testFarm, run: fullLifecycle }));

describeInvariants('invariants of a run with 8 rings (10 tanks merge into fewer rings)', () => {
  const farm = buildTestFarm();
  const schedule = buildTestSchedule({ rings: 8, harvestTargetKg: 4.6, seed: 'eight rings' });
  return { farm, run: () => runBatch(farm, schedule) };
});

describe('a date-bounded run (asOf on day 200)', () => {
  const farm = buildTestFarm();
  const start = '2022-01-03';
  const asOf = addDays(start, 200);
  const schedule = buildTestSchedule({ startDate: start, asOf });
  let run: EngineRun;

  beforeAll(() => {
    run = runBatch(farm, schedule);
  });

  it('stops ACTIVE in Parr with the Parr tanks holding the fish', () => {
    expect(run.outcome).toMatchObject({ status: 'ACTIVE', days: 201, harvestedFish: 0 });
    expect(run.yields).toBe(201);
    const batch = rowsOf(run, 'batch_batch')[0]!;
    expect(batch).toMatchObject({ status: 'ACTIVE', actual_end_date: null, lifecycle_stage_id: 3 });
    const assignments = rowsOf(run, 'batch_batchcontainerassignment');
    const active = assignments.filter((a) => a.is_active);
    expect(active).toHaveLength(10);
    expect(assignments).toHaveLength(30);
    for (const a of active) expect(a).toMatchObject({ departure_date: null, lifecycle_stage_id: 3, assignment_date: addDays(start, 180) });
    expect(sum(active, (a) => a.population_count)).toBe(run.outcome.population);
    expect(run.outcome.population / 3_500_000).toBeGreaterThan(0.85);
    expect(rowsOf(run, 'harvest_harvestevent')).toHaveLength(0);
    expect(rowsOf(run, 'batch_batchtransferworkflow')).toHaveLength(2);
  });

  it('dates nothing after asOf and stamps nothing after its start (the farm\'s "now")', () => {
    const late: string[] = [];
    for (const table of ENGINE_TABLES) {
      const columns = Object.entries(tables[table].columns).filter(([, type]) => type.startsWith('date') || type.startsWith('timestamptz'));
      for (const row of rowsOf(run, table) as unknown as Record<string, string | null>[]) {
        for (const [column, type] of columns) {
          const value = row[column];
          const limit = type.startsWith('date') ? asOf : `${asOf} 00:00:00+00`;
          if (value && value > limit && !FORWARD_LOOKING.has(`${table}.${column}`) && late.length < 10) {
            late.push(`${table}.${column} = ${value}`);
          }
        }
      }
    }
    expect(late).toEqual([]);
  });

  it('reads and feeds the whole day before asOf and nothing of asOf, dated at its start', () => {
    const dayBefore = addDays(asOf, -1);
    const lastReadings = rowsOf(run, 'environmental_environmentalreading').filter((r) => r.reading_time.startsWith(dayBefore));
    expect(lastReadings).toHaveLength(10 * 7 * 6);
    expect(rowsOf(run, 'inventory_feedingevent').filter((f) => f.feeding_date === dayBefore)).toHaveLength(20);
    expect(rowsOf(run, 'environmental_environmentalreading').filter((r) => r.reading_time.startsWith(asOf))).toHaveLength(0);
    expect(rowsOf(run, 'inventory_feedingevent').filter((f) => f.feeding_date === asOf)).toHaveLength(0);
  });
});

describeInvariants('invariants of a date-bounded run', () => {
  const farm = buildTestFarm();
  const schedule = buildTestSchedule({ asOf: addDays('2022-01-03', 200) });
  return { farm, run: () => runBatch(farm, schedule) };
});

describeInvariants('invariants of a run stopped mid-harvest', () => {
  const firstHarvest = rowsOf(fullLifecycle(), 'harvest_harvestevent')[0]!.event_date.slice(0, 10);
  const schedule = buildTestSchedule({ asOf: addDays(firstHarvest, 3) });
  return { farm: testFarm, run: () => runBatch(testFarm, schedule) };
});

describe('runs stopped on stage boundaries', () => {
  // asOf is dated at its start (00:00): the day's transfer (09:00) has not happened yet.
  it.each([
    [1, 1, 10],
    [90, 1, 10],
    [91, 2, 10],
    [450, 5, 10],
    [451, 6, 20],
  ])('stops ACTIVE at the start of day %i in stage %i with %i containers holding fish', (day, order, containers) => {
    const start = fullSchedule.batches[0]!.startDate;
    const run = runBatch(testFarm, buildTestSchedule({ asOf: addDays(start, day) }));
    expect(run.outcome).toMatchObject({ status: 'ACTIVE', days: day + 1 });
    expect(rowsOf(run, 'batch_batch')[0]).toMatchObject({ status: 'ACTIVE', lifecycle_stage_id: order });
    const active = rowsOf(run, 'batch_batchcontainerassignment').filter((a) => a.is_active);
    expect(active).toHaveLength(containers);
    expect(sum(active, (a) => a.population_count)).toBe(run.outcome.population);
    expect(rowProblems(run)).toEqual([]);
  });
});

describe('the engine against the farm builder and planner', () => {
  it('completes the single-batch preset with valid, linked rows', async () => {
    const { buildFarm } = await import('../../src/farm/index.js');
    const { planSchedule } = await import('../../src/preset-files/resolve.js');
    const schedule = planSchedule('single-batch');
    const farm = buildFarm({ seed: schedule.seed, establishedOn: addDays(schedule.batches[0]!.startDate, -30) });
    const run = runBatch(farm, schedule);
    expect(run.outcome.status).toBe('COMPLETED');
    expect(run.outcome.harvestedFish / run.outcome.eggs).toBeGreaterThanOrEqual(0.83);
    expect(run.outcome.harvestedFish / run.outcome.eggs).toBeLessThanOrEqual(0.87);
    expect(rowProblems(run, 11)).toEqual([]);
    const sensors = new Set<string>();
    for (const c of farm.containers.values()) for (const s of c.sensors) sensors.add(`${c.id}:${s.sensorId}:${s.parameterId}`);
    const unpaired = rowsOf(run, 'environmental_environmentalreading').filter((r) => !sensors.has(`${r.container_id}:${r.sensor_id}:${r.parameter_id}`));
    expect(unpaired).toHaveLength(0);
  });
});
