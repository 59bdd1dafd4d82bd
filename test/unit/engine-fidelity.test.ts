/**
 * The engine's fidelity steps on the test farm: health sampling, journal, lice counts,
 * vaccinations and lice treatments, the baseline scenario, the daily assignment states (growth
 * analysis), feeding summaries, finance facts and transactions, cost centers, planned activities,
 * live projections, and the django-simple-history `+` rows; plus the per-batch volume formulas of
 * the presetVolumes check held against what the engine wrote.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRow } from '../../src/db/row-check.js';
import type { TableSpec } from '../../src/schema/table.js';
import { tables, type Row, type TableName } from '../../src/schema/tables/index.js';
import { createContext } from '../../src/engine/context.js';
import { DayClock } from '../../src/engine/clock.js';
import { HISTORISED_TABLES, TRACKED_TABLES, historyNameOf } from '../../src/rows/history.js';
import { MemorySink } from '../../src/rows/sink.js';
import { createBaselineScenario } from '../../src/engine/scenario.js';
import { addDays, dayNumber, daysBetween } from '../../src/core/time.js';
import { LICE_TREATMENT_ADULT_DAYS, VACCINATION_DAYS } from '../../src/core/tuning.js';
import { expectedVolumes } from '../../src/verify/volume-formulas.js';
import type { FarmModel } from '../../src/core/model.js';
import type { Schedule } from '../../src/schedule/types.js';
import { runBatch, type EngineRun } from '../support/engine-run.js';
import { buildTestFarm, buildTestSchedule, testRingName } from '../support/test-farm.js';

const START = '2022-01-03';
const farm = buildTestFarm();
const fullSchedule = buildTestSchedule();
/** Still at sea on day 700, after the first lice treatment (Adult day 150 = day 600). */
const seaSchedule = buildTestSchedule({ asOf: addDays(START, 700) });
/** In Parr on day 200. */
const parrSchedule = buildTestSchedule({ asOf: addDays(START, 200) });

let full: EngineRun;
let atSea: EngineRun;
let inParr: EngineRun;

beforeAll(() => {
  full = runBatch(farm, fullSchedule);
  atSea = runBatch(farm, seaSchedule);
  inParr = runBatch(farm, parrSchedule);
});

const rows = <N extends TableName>(run: EngineRun, table: N): Row<N>[] => run.sink.of(table);
const day = (date: string) => daysBetween(START, date.slice(0, 10));
const sum = <T>(items: readonly T[], value: (item: T) => number) => items.reduce((n, item) => n + value(item), 0);

function countBy<T>(items: readonly T[], key: (item: T) => string | number): Map<string | number, number> {
  const out = new Map<string | number, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}

/** Every table the fidelity steps write, and the history tables. */
const FIDELITY_TABLES: readonly TableName[] = [
  'health_healthsamplingevent',
  'health_individualfishobservation',
  'health_fishparameterscore',
  'health_journalentry',
  'health_licecount',
  'health_treatment',
  'scenario',
  'scenario_projection_run',
  'scenario_scenarioprojection',
  'batch_actualdailyassignmentstate',
  'inventory_containerfeedingsummary',
  'inventory_batchfeedingsummary',
  'finance_factharvest',
  'finance_intercompanytransaction',
  'finance_core_costcenter',
  'finance_core_costcenterbatchlink',
  'planning_plannedactivity',
  'batch_liveforwardprojection',
  'batch_containerforecastsummary',
];

describe('rows of the fidelity steps', () => {
  it.each([
    ['a full lifecycle', () => full],
    ['a run at sea', () => atSea],
    ['a run in Parr', () => inParr],
  ])('are valid for AquaMind models, history tables included (%s)', (_, run) => {
    const problems: string[] = [];
    for (const [table, list] of run().sink.rows) {
      if (table === 'environmental_environmentalreading') continue;
      for (const row of list) {
        problems.push(...checkRow(table, row as Record<string, unknown>));
        if (problems.length > 10) break;
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('take unique IDs from the batch block', () => {
    for (const run of [full, atSea]) {
      for (const [table, list] of run.sink.rows) {
        const key = tables[table].primaryKey[0]!;
        const ids = (list as Record<string, number>[]).map((r) => r[key]!);
        expect(new Set(ids).size, table).toBe(ids.length);
        expect(ids.filter((id) => id <= 1_000_000 || id >= 2_000_000), table).toEqual([]);
      }
    }
  });

  it('reference only rows that exist', () => {
    const bad: string[] = [];
    for (const run of [full, atSea]) {
      const ids = new Map<TableName, Set<unknown>>();
      const keysOf = (table: TableName, column: string) => {
        let set = ids.get(table);
        if (!set) ids.set(table, (set = new Set(rows(run, table).map((r) => (r as Record<string, unknown>)[column]))));
        return set;
      };
      for (const table of FIDELITY_TABLES) {
        const spec: TableSpec = tables[table];
        for (const [column, target] of Object.entries(spec.references ?? {})) {
          const [targetTable, targetColumn] = target.split('.') as [TableName, string];
          // Master data lives in the farm, not in the batch's rows.
          if (rows(run, targetTable).length === 0) continue;
          const known = keysOf(targetTable, targetColumn);
          for (const row of rows(run, table) as Record<string, unknown>[]) {
            const value = row[column];
            if (value !== null && !known.has(value) && bad.length < 10) bad.push(`${table}.${column} = ${String(value)}`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('date nothing after asOf but what looks forward by meaning', () => {
    const forward = new Set(['batch_liveforwardprojection.projection_date', 'batch_containerforecastsummary.projected_harvest_date',
      'batch_containerforecastsummary.projected_transfer_date', 'batch_containerforecastsummary.original_harvest_date',
      'planning_plannedactivity.due_date', 'scenario_scenarioprojection.projection_date']);
    const late: string[] = [];
    for (const table of FIDELITY_TABLES) {
      const columns = Object.entries(tables[table].columns).filter(([, type]) => type.startsWith('date') || type.startsWith('timestamptz'));
      for (const row of rows(atSea, table) as Record<string, string | null>[]) {
        for (const [column] of columns) {
          const value = row[column];
          if (value && value.slice(0, 10) > seaSchedule.asOf && !forward.has(`${table}.${column}`) && late.length < 10) late.push(`${table}.${column} = ${value}`);
        }
      }
    }
    expect(late).toEqual([]);
  });

  it('are deterministic', () => {
    const digest = (run: EngineRun) => {
      const hash = createHash('sha256');
      for (const table of FIDELITY_TABLES) for (const row of rows(run, table)) hash.update(JSON.stringify(row));
      return hash.digest('hex');
    };
    expect(digest(runBatch(farm, seaSchedule))).toBe(digest(atSea));
  });
});

describe('health sampling', () => {
  it('samples 75 fish of one container every 30th day from Post-Smolt on, scoring every active parameter', () => {
    const events = rows(full, 'health_healthsamplingevent');
    const harvestDay = full.outcome.days - 1;
    const expectedDays = [];
    for (let d = 360; d < harvestDay; d += 30) expectedDays.push(d);
    expect(events.map((e) => day(e.sampling_date))).toEqual(expectedDays);
    const observations = rows(full, 'health_individualfishobservation');
    expect(observations).toHaveLength(75 * events.length);
    expect([...countBy(observations, (o) => o.sampling_event_id).values()].every((n) => n === 75)).toBe(true);
    const scores = rows(full, 'health_fishparameterscore');
    expect(scores).toHaveLength(observations.length * farm.healthParameterIds.length);
    const pairs = new Set(scores.map((s) => `${s.individual_fish_observation_id}:${s.parameter_id}`));
    expect(pairs.size).toBe(scores.length);
    const share = (score: number) => scores.filter((s) => s.score === score).length / scores.length;
    expect(share(0)).toBeGreaterThan(0.55);
    expect(share(3)).toBeLessThan(0.04);
  });

  it('writes lengths that fit the weights: K between 1.0 and 1.4 (AquaMind’s gave ~0.03)', () => {
    for (const event of rows(full, 'health_healthsamplingevent')) {
      expect(event.avg_k_factor!).toBeGreaterThan(1.0);
      expect(event.avg_k_factor!).toBeLessThan(1.4);
      expect(event.calculated_sample_size).toBe(75);
      expect(event.min_weight_g!).toBeLessThan(event.avg_weight_g!);
    }
    for (const o of rows(full, 'health_individualfishobservation')) {
      const k = (100 * o.weight_g!) / o.length_cm! ** 3;
      expect(k).toBeGreaterThan(0.85);
      expect(k).toBeLessThan(1.5);
    }
    // A 5 kg salmon is about 75 cm, not 250.
    const last = rows(full, 'health_healthsamplingevent').at(-1)!;
    expect(last.avg_length_cm!).toBeGreaterThan(60);
    expect(last.avg_length_cm!).toBeLessThan(90);
  });
});

describe('journal, treatments and lice', () => {
  it('keeps a journal entry every 30th day in a container of the batch', () => {
    const entries = rows(full, 'health_journalentry');
    const lastRoutineDay = full.outcome.days - 2;
    expect(entries).toHaveLength(Math.floor(lastRoutineDay / 30) + 1);
    expect(entries.map((e) => day(e.entry_date) % 30)).toEqual(entries.map(() => 0));
    expect(entries[0]!.description).toMatch(/^Routine observation Egg&Alevin: /);
  });

  it('vaccinates every container on days 180, 210, 280 and 310, rotating vaccines by name', () => {
    const vaccinations = rows(full, 'health_treatment').filter((t) => t.treatment_type === 'vaccination');
    expect(vaccinations).toHaveLength(40);
    expect([...countBy(vaccinations, (t) => day(t.treatment_date)).entries()]).toEqual(VACCINATION_DAYS.map((d) => [d, 10]));
    const byDay = VACCINATION_DAYS.map((d) => vaccinations.find((t) => day(t.treatment_date) === d)!.vaccination_type_id);
    expect(byDay).toEqual([1, 3, 2, 1]); // IPN, Multi-component, VHS, IPN
  });

  it('bathes every ring on Adult days 150 and 270', () => {
    const baths = rows(full, 'health_treatment').filter((t) => t.treatment_type === 'physical');
    expect([...countBy(baths, (t) => day(t.treatment_date)).entries()]).toEqual(LICE_TREATMENT_ADULT_DAYS.map((d) => [450 + d, 20]));
    expect(baths.every((t) => t.withholding_period_days === 42 && t.outcome === 'successful')).toBe(true);
  });

  it('counts lice weekly per ring by type and stage, and a bath brings the counts down', () => {
    const counts = rows(full, 'health_licecount');
    const sessions = countBy(counts, (c) => `${c.container_id}:${c.count_date}`);
    expect([...sessions.values()].every((n) => n === 4 || n === 5)).toBe(true);
    expect(counts.every((c) => day(c.count_date) % 7 === 0 && day(c.count_date) >= 450)).toBe(true);
    expect(counts.every((c) => c.adult_female_count === 0 && c.lice_type_id !== null && c.assignment_id !== null)).toBe(true);
    const perFish = (from: number, to: number) => {
      const window = counts.filter((c) => day(c.count_date) >= from && day(c.count_date) < to);
      return sum(window, (c) => c.count_value!) / (20 * new Set(window.map((c) => `${c.container_id}:${c.count_date}`)).size);
    };
    for (const adultDay of LICE_TREATMENT_ADULT_DAYS) {
      const d = 450 + adultDay;
      const before = perFish(d - 28, d);
      const after = perFish(d + 1, d + 15);
      expect(after, `Adult day ${adultDay}`).toBeLessThan(before * 0.5);
    }
  });
});

describe('the baseline scenario', () => {
  it('projects 900 days from the eggs with the scenario models, pinned only while the batch is ACTIVE', () => {
    for (const run of [full, atSea]) {
      const [scenario] = rows(run, 'scenario');
      const [projectionRun] = rows(run, 'scenario_projection_run');
      const projections = rows(run, 'scenario_scenarioprojection');
      expect(scenario).toMatchObject({ name: 'Baseline Projection - FAR-2022-001', start_date: START, initial_count: 3_500_000, duration_days: 900 });
      expect(projectionRun).toMatchObject({ scenario_id: scenario!.scenario_id, run_number: 1, total_projections: 900 });
      expect(projections.map((p) => p.day_number)).toEqual(Array.from({ length: 900 }, (_, i) => i + 1));
      expect(projections.every((p) => p.projection_run_id === projectionRun!.run_id)).toBe(true);
      expect(projectionRun!.final_weight_g).toBe(projections.at(-1)!.average_weight);
    }
    expect(rows(full, 'batch_batch')[0]!.pinned_projection_run_id).toBeNull();
    expect(rows(atSea, 'batch_batch')[0]!.pinned_projection_run_id).toBe(rows(atSea, 'scenario_projection_run')[0]!.run_id);
  });

  it('ends at 5-7.5 kg in both geographies with the farm’s own temperature profiles', async () => {
    const { buildFarm } = await import('../../src/farm/index.js');
    const real = buildFarm({ seed: 'scenario-test', establishedOn: '2021-12-01' });
    for (const geography of ['Faroe Islands', 'Scotland'] as const) {
      const schedule: Schedule = { ...fullSchedule, batches: [{ ...fullSchedule.batches[0]!, geography }] };
      const sink = new MemorySink();
      const ctx = createContext(real, schedule, schedule.batches[0]!, sink);
      const { finalWeightG } = createBaselineScenario(ctx, new DayClock(0, dayNumber(START)));
      expect(finalWeightG, geography).toBeGreaterThanOrEqual(5_000);
      expect(finalWeightG, geography).toBeLessThanOrEqual(7_500);
      const projections = sink.of('scenario_scenarioprojection');
      expect(projections[449]!.average_weight).toBe(500); // freshwater growth stops at the Post-Smolt maximum
      expect(projections[89]!.average_weight).toBe(0.1); // no growth in Egg&Alevin
    }
  });
});

describe('daily assignment states (growth analysis)', () => {
  it('writes one row per assignment per day it holds fish, no duplicates', () => {
    for (const run of [full, atSea, inParr]) {
      const states = rows(run, 'batch_actualdailyassignmentstate');
      const keys = new Set(states.map((s) => `${s.assignment_id}:${s.date}`));
      expect(keys.size).toBe(states.length);
      // A completed batch's last day is its harvest; an active one lived up to asOf 00:00, so through the day before.
      const lastDay = run.outcome.days - 1;
      const assignmentDays = sum(rows(run, 'batch_batchcontainerassignment'), (a) =>
        a.departure_date ? daysBetween(a.assignment_date, a.departure_date) : daysBetween(a.assignment_date, addDays(START, lastDay)),
      );
      expect(states).toHaveLength(assignmentDays);
    }
  });

  it('counts the fish once on day 91: 2.8-3.2 M from 3.5 M eggs (AquaMind’s Issue #112 showed 5.98 M)', () => {
    const day91 = rows(full, 'batch_actualdailyassignmentstate').filter((s) => s.day_number === 91);
    expect(day91).toHaveLength(10);
    const population = sum(day91, (s) => s.population);
    expect(population).toBeGreaterThanOrEqual(2_800_000);
    expect(population).toBeLessThanOrEqual(3_200_000);
    const fryEntry = rows(full, 'batch_batchtransferworkflow').find((w) => w.workflow_number.endsWith('-D090'))!;
    expect(population).toBe(fryEntry.total_transferred_count - sum(day91, (s) => s.mortality_count));
  });

  it('agrees with the day’s events: deaths, meals, samples and the engine weight', () => {
    const states = rows(full, 'batch_actualdailyassignmentstate');
    const key = (assignment: number | null, date: string) => `${assignment}:${date}`;
    const deaths = new Map<string, number>();
    for (const m of rows(full, 'batch_mortalityevent')) deaths.set(key(m.assignment_id, m.event_date), m.count);
    const feed = new Map<string, number>();
    for (const f of rows(full, 'inventory_feedingevent')) feed.set(key(f.batch_assignment_id, f.feeding_date), (feed.get(key(f.batch_assignment_id, f.feeding_date)) ?? 0) + f.amount_kg);
    const samples = new Map(rows(full, 'batch_growthsample').map((g) => [key(g.assignment_id, g.sample_date), g]));
    for (const s of states) {
      const k = key(s.assignment_id, s.date);
      expect(s.mortality_count).toBe(deaths.get(k) ?? 0);
      expect(s.feed_kg).toBeCloseTo(feed.get(k) ?? 0, 1);
      const sample = samples.get(k);
      expect(s.anchor_type).toBe(sample ? 'growth_sample' : null);
      if (sample) expect(Math.abs(s.avg_weight_g - sample.avg_weight_g)).toBeLessThanOrEqual(0.011);
      expect(s.day_number).toBe(day(s.date) + 1);
    }
    const fcrs = states.map((s) => s.observed_fcr).filter((f): f is number => f !== null);
    expect(fcrs.length).toBeGreaterThan(states.length / 2);
    expect(Math.min(...fcrs)).toBeGreaterThan(0.5);
    expect(Math.max(...fcrs)).toBeLessThanOrEqual(10);
  });
});

describe('feeding summaries', () => {
  it('summarise the 30 days up to every feeding day, in simulated time', () => {
    const containers = rows(full, 'inventory_containerfeedingsummary');
    const batches = rows(full, 'inventory_batchfeedingsummary');
    expect(containers.length).toBeGreaterThan(8_000);
    expect(batches.length).toBeGreaterThan(600);
    for (const c of containers) {
      expect(daysBetween(c.period_start, c.period_end)).toBe(30);
      expect(c.fcr!).toBeGreaterThan(0.5);
      expect(c.fcr!).toBeLessThan(10);
    }
    const perPeriod = countBy(containers, (c) => c.period_end);
    for (const b of batches) expect(b.container_count).toBe(perPeriod.get(b.period_end));
    const fcrs = batches.map((b) => b.weighted_avg_fcr!).sort((a, b) => a - b);
    expect(fcrs[Math.floor(fcrs.length / 2)]!).toBeGreaterThan(1.0);
    expect(fcrs[Math.floor(fcrs.length / 2)]!).toBeLessThan(2.0);
  });
});

describe('finance', () => {
  it('writes a harvest fact per lot on the harvested ring’s area site', () => {
    const facts = rows(full, 'finance_factharvest');
    const lots = rows(full, 'harvest_harvestlot');
    expect(facts).toHaveLength(lots.length);
    expect(new Set(facts.map((f) => f.lot_id))).toEqual(new Set(lots.map((l) => l.id)));
    expect(facts.every((f) => f.dim_site_id === farm.finance.siteIdByArea.get(1) && f.dim_company_id === 2)).toBe(true);
    expect(sum(facts, (f) => f.quantity_kg)).toBeCloseTo(sum(lots, (l) => l.live_weight_kg), 2);
  });

  it('sells the smolts FW → FM at sea transfer and each harvest event’s grades FM → LG', () => {
    const txs = rows(full, 'finance_intercompanytransaction');
    const workflow = rows(full, 'batch_batchtransferworkflow').find((w) => w.is_intercompany)!;
    const smolts = txs.filter((t) => t.content_type_id === farm.contentTypeIds.batchTransferWorkflow);
    expect(smolts).toHaveLength(1);
    expect(smolts[0]).toMatchObject({ object_id: workflow.id, policy_id: 1, event_id: null, currency: 'EUR', posting_date: workflow.actual_completion_date });
    expect(workflow.finance_transaction_id).toBe(smolts[0]!.tx_id);
    const sales = txs.filter((t) => t.content_type_id === farm.contentTypeIds.harvestEvent);
    expect(sales).toHaveLength(5 * rows(full, 'harvest_harvestevent').length);
    expect(new Set(sales.map((t) => `${t.event_id}:${t.policy_id}`)).size).toBe(sales.length);
    expect(sales.every((t) => t.object_id === t.event_id && t.amount! > 0)).toBe(true);
    // Cost-plus on a production cost of a few euros per kg.
    const perKg = sum(sales, (t) => t.amount!) / sum(rows(full, 'harvest_harvestlot'), (l) => l.live_weight_kg);
    expect(perKg).toBeGreaterThan(1);
    expect(perKg).toBeLessThan(8);
  });

  it('opens the batch’s project cost center under its station’s site center on the first assignment', () => {
    const centers = rows(full, 'finance_core_costcenter');
    expect(centers.map((c) => c.code)).toEqual(['SITE-1', `PRJ-${rows(full, 'batch_batch')[0]!.id}`]);
    expect(centers[1]!.parent_id).toBe(centers[0]!.cost_center_id);
    expect(rows(full, 'finance_core_costcenterbatchlink')).toMatchObject([{ cost_center_id: centers[1]!.cost_center_id }]);
  });

  it('leaves a station’s site center to the batch that reached it first', () => {
    const base = buildTestSchedule();
    const first = base.batches[0]!;
    const second = { ...first, index: 1, batchNumber: 'FAR-2022-002', startDate: '2022-02-01' };
    const schedule: Schedule = { ...base, batches: [first, second] };
    const later = runBatch(farm, schedule, 1);
    const centers = rows(later, 'finance_core_costcenter');
    expect(centers).toHaveLength(1);
    expect(centers[0]).toMatchObject({ code: 'PRJ-2000001', parent_id: 1_000_001 });
  });
});

describe('planned activities and live projections (ACTIVE batches)', () => {
  it('plans the 20 template activities with the scenario, COMPLETED at noon of their day before asOf and PENDING after', () => {
    expect(rows(full, 'planning_plannedactivity')).toHaveLength(0);
    const activities = rows(atSea, 'planning_plannedactivity');
    expect(activities).toHaveLength(20);
    const scenario = rows(atSea, 'scenario')[0]!;
    for (const a of activities) {
      expect(a).toMatchObject({ created_at: scenario.created_at, created_by_id: farm.users.adminId });
      if (a.due_date < seaSchedule.asOf) {
        expect(a).toMatchObject({ status: 'COMPLETED', completed_by_id: farm.users.adminId, completed_at: `${a.due_date} 12:00:00+00`, updated_at: `${a.due_date} 12:00:00+00` });
      } else expect(a).toMatchObject({ status: 'PENDING', completed_by_id: null, completed_at: null, updated_at: scenario.created_at });
    }
    expect(activities.every((a) => a.scenario_id === rows(atSea, 'scenario')[0]!.scenario_id)).toBe(true);
  });

  it('projects every ring to the harvest target and summarises its forecast', () => {
    expect(rows(full, 'batch_liveforwardprojection')).toHaveLength(0);
    const summaries = rows(atSea, 'batch_containerforecastsummary');
    const holding = rows(atSea, 'batch_batchcontainerassignment').filter((a) => a.is_active);
    expect(summaries.map((s) => s.assignment_id).sort()).toEqual(holding.map((a) => a.id).sort());
    const projections = rows(atSea, 'batch_liveforwardprojection');
    const perAssignment = countBy(projections, (p) => p.assignment_id);
    expect(new Set(perAssignment.values()).size).toBe(1);
    const summary = summaries[0]!;
    expect(summary.projected_harvest_weight_g!).toBeGreaterThanOrEqual(5_500);
    expect(summary.projected_harvest_date! > seaSchedule.asOf).toBe(true);
    expect(summary.days_to_harvest).toBe(daysBetween(seaSchedule.asOf, summary.projected_harvest_date!));
    expect(summary.last_computed).toBe(`${seaSchedule.asOf} 00:00:00+00`);
    // Computed at asOf 00:00: asOf's own growth is not in yet, so the projection starts there.
    expect(projections.every((p) => p.computed_date === seaSchedule.asOf && p.projection_date >= seaSchedule.asOf)).toBe(true);
    expect(projections.some((p) => p.projection_date === seaSchedule.asOf)).toBe(true);
    // A Parr batch also forecasts its next transfer.
    const parr = rows(inParr, 'batch_containerforecastsummary')[0]!;
    expect(parr.projected_transfer_date).toBe(addDays(START, 270));
    expect(parr.transfer_threshold_g).toBe(60);
  });
});

describe('django-simple-history rows', () => {
  const historyOf = <N extends TableName>(run: EngineRun, table: N) => {
    const byId = new Map<unknown, Record<string, unknown>[]>();
    const key = Object.keys(tables[table].columns)[0]!;
    for (const h of rows(run, historyNameOf(table)) as Record<string, unknown>[]) {
      const list = byId.get(h[key]) ?? [];
      list.push(h);
      byId.set(h[key], list);
    }
    for (const list of byId.values()) list.sort((a, b) => (a.history_date! < b.history_date! ? -1 : a.history_date! > b.history_date! ? 1 : (a.history_id as number) - (b.history_id as number)));
    return byId;
  };
  const copyOf = (h: Record<string, unknown>) => {
    const { history_id: _id, history_date: _date, history_change_reason: _reason, history_type: _type, history_user_id: _user, ...copy } = h;
    return copy;
  };

  it('follow every row created once and never changed with one `+` row of the same values, by system_admin', () => {
    for (const table of HISTORISED_TABLES) {
      if (TRACKED_TABLES.includes(table)) continue;
      const base = rows(full, table) as Record<string, unknown>[];
      const history = rows(full, historyNameOf(table)) as Record<string, unknown>[];
      expect(history, table).toHaveLength(base.length);
      for (let i = 0; i < base.length; i += Math.max(1, Math.floor(base.length / 50))) {
        const { history_change_reason, history_type, history_user_id } = history[i]!;
        expect(copyOf(history[i]!), table).toEqual(base[i]);
        expect({ history_change_reason, history_type, history_user_id }).toEqual({ history_change_reason: null, history_type: '+', history_user_id: farm.users.systemAdminId });
      }
    }
  });

  it('end every tracked row with a history row of its last recorded state, none after asOf', () => {
    for (const run of [full, atSea, inParr]) {
      const now = `${run === full ? fullSchedule.asOf : run === atSea ? seaSchedule.asOf : parrSchedule.asOf} 00:00:00+00`;
      for (const table of TRACKED_TABLES) {
        const history = historyOf(run, table);
        const key = Object.keys(tables[table].columns)[0]!;
        for (const row of rows(run, table) as Record<string, unknown>[]) {
          const list = history.get(row[key])!;
          expect(list[0]!.history_type, `${table} ${String(row[key])}`).toBe('+');
          expect(list.slice(1).every((h) => h.history_type === '~'), table).toBe(true);
          expect(list.every((h) => (h.history_date as string) <= now), table).toBe(true);
          // Assignments and stock lots change numbers without a history row (daily saves, FIFO draws).
          if (table === 'batch_batchcontainerassignment' || table === 'inventory_feedcontainerstock') continue;
          expect(copyOf(list.at(-1)!), `${table} ${String(row[key])}`).toEqual(row);
        }
        expect([...history.keys()].length, table).toBe(rows(run, table).length);
      }
    }
  });

  it('follow the batch: + PLANNED, ~ ACTIVE when the eggs are in, ~ at each stage, ~ COMPLETED at the last harvest', () => {
    const [lifecycle] = [...historyOf(full, 'batch_batch').values()];
    expect(lifecycle!.map((h) => [h.history_type, h.status, h.lifecycle_stage_id, h.history_date])).toEqual([
      ['+', 'PLANNED', 1, `${START} 00:00:00+00`],
      ['~', 'ACTIVE', 1, `${START} 08:00:00+00`],
      ...[2, 3, 4, 5, 6].map((stage) => ['~', 'ACTIVE', stage, `${addDays(START, (stage - 1) * 90)} 09:00:00+00`]),
      ['~', 'COMPLETED', 6, `${rows(full, 'batch_batch')[0]!.actual_end_date} 10:00:00+00`],
    ]);
    // Still ACTIVE at asOf: pinned then to its baseline run by the live-projection script.
    const [active] = [...historyOf(atSea, 'batch_batch').values()];
    expect(active!.at(-1)).toMatchObject({ history_type: '~', status: 'ACTIVE', pinned_projection_run_id: rows(atSea, 'scenario_projection_run')[0]!.run_id, history_date: `${seaSchedule.asOf} 00:00:00+00` });
  });

  it('open every assignment as the fish arrive and close it as they leave', () => {
    const assignments = new Map(rows(full, 'batch_batchcontainerassignment').map((a) => [a.id, a]));
    for (const [id, list] of historyOf(full, 'batch_batchcontainerassignment')) {
      const a = assignments.get(id as number)!;
      expect(list.map((h) => [h.history_type, h.is_active, h.departure_date, h.history_date])).toEqual([
        ['+', true, null, a.created_at],
        ['~', false, a.departure_date, a.updated_at],
      ]);
      if (a.lifecycle_stage_id === 1) expect(list[0]).toMatchObject({ population_count: 350_000, avg_weight_g: 0.1 });
      expect(list[1]).toMatchObject({ population_count: a.population_count, biomass_kg: a.biomass_kg });
    }
    // Those still holding fish at asOf have their `+` row only.
    const active = rows(atSea, 'batch_batchcontainerassignment').filter((a) => a.is_active);
    expect(active).toHaveLength(20);
    for (const a of active) expect(historyOf(atSea, 'batch_batchcontainerassignment').get(a.id)!.map((h) => h.history_type)).toEqual(['+']);
  });

  it('run each transfer workflow PLANNED → IN_PROGRESS → COMPLETED and each action PENDING → COMPLETED', () => {
    const workflows = historyOf(full, 'batch_batchtransferworkflow');
    expect(workflows.size).toBe(5);
    for (const list of workflows.values()) {
      const date = list[0]!.planned_start_date;
      expect(list.map((h) => [h.history_type, h.status, h.history_date])).toEqual([
        ['+', 'PLANNED', `${date} 07:00:00+00`],
        ['~', 'IN_PROGRESS', `${date} 09:00:00+00`],
        ['~', 'COMPLETED', `${date} 09:00:00+00`],
      ]);
      expect(list[0]).toMatchObject({ actions_completed: 0, completed_by_id: null, actual_completion_date: null });
    }
    for (const list of historyOf(full, 'batch_transferaction').values()) {
      expect(list.map((h) => [h.history_type, h.status])).toEqual([['+', 'PENDING'], ['~', 'COMPLETED']]);
      expect(list[0]).toMatchObject({ dest_assignment_id: null, executed_at: null });
      expect(list[1]!.dest_assignment_id).not.toBeNull();
    }
    const creation = [...historyOf(full, 'batch_creationworkflow').values()][0]!;
    expect(creation.map((h) => [h.history_type, h.status, h.total_eggs_received])).toEqual([['+', 'IN_PROGRESS', 0], ['~', 'COMPLETED', 3_500_000]]);
  });

  it('complete each treatment when its duration is over, the last ones still pending at asOf', () => {
    for (const list of historyOf(full, 'health_treatment').values()) {
      const started = list[0]!;
      const [date, time] = (started.treatment_date as string).split(' ');
      expect(list.map((h) => [h.history_type, h.outcome, h.history_date])).toEqual([
        ['+', 'pending', started.treatment_date],
        ['~', 'successful', `${addDays(date!, started.duration_days as number)} ${time}`],
      ]);
    }
    // A run that stops inside a bath's 7 days leaves it pending.
    const bathDay = addDays(START, 450 + 150);
    const mid = runBatch(farm, buildTestSchedule({ asOf: addDays(bathDay, 3) }));
    const baths = rows(mid, 'health_treatment').filter((t) => t.treatment_date.startsWith(bathDay));
    expect(baths).toHaveLength(20);
    expect(baths.every((t) => t.outcome === 'pending')).toBe(true);
    expect(rows(mid, 'health_treatment').filter((t) => !t.treatment_date.startsWith(bathDay)).every((t) => t.outcome === 'successful')).toBe(true);
  });

  it('record stock lots as delivered', () => {
    const stock = rows(full, 'inventory_historicalfeedcontainerstock');
    const purchases = new Map(rows(full, 'inventory_feedpurchase').map((p) => [p.id, p]));
    expect(stock).toHaveLength(purchases.size);
    for (const s of stock) expect(s).toMatchObject({ history_type: '+', quantity_kg: purchases.get(s.feed_purchase_id!)!.quantity_kg });
  });

  it('write no history for bulk-created or history-less tables', () => {
    expect(rows(full, 'health_historicalindividualfishobservation')).toHaveLength(0);
    expect(rows(full, 'health_historicalfishparameterscore')).toHaveLength(0);
  });
});

describe('the presetVolumes formulas', () => {
  const schedules: [string, Schedule, () => EngineRun][] = [
    ['a full lifecycle', fullSchedule, () => full],
    ['a run at sea', seaSchedule, () => atSea],
    ['a run in Parr', parrSchedule, () => inParr],
  ];
  it.each(schedules)('hold for %s', (_, schedule, run) => {
    const r = run();
    const batch = rows(r, 'batch_batch')[0]!;
    const counts: Partial<Record<TableName, number>> = {};
    for (const [table, list] of r.sink.rows) counts[table] = list.length;
    const expectations = expectedVolumes(schedule, schedule.batches[0]!, {
      status: batch.status,
      lastDay: daysBetween(START, batch.status === 'COMPLETED' ? batch.actual_end_date! : schedule.asOf),
      assignments: rows(r, 'batch_batchcontainerassignment').map((a) => ({
        order: a.lifecycle_stage_id,
        from: daysBetween(START, a.assignment_date),
        to: a.departure_date ? daysBetween(START, a.departure_date) : null,
      })),
      counts,
      healthParameters: farm.healthParameterIds.length,
      activityTemplates: farm.activityTemplates.length,
    });
    expect(expectations.length).toBeGreaterThan(25);
    const off = expectations.filter((e) => e.actual < e.expected.min || e.actual > e.expected.max).map((e) => `${e.table}: ${e.actual} vs ${e.expected.min}-${e.expected.max}`);
    expect(off).toEqual([]);
  });

  it('notice a missing table', () => {
    const counts: Partial<Record<TableName, number>> = {};
    for (const [table, list] of full.sink.rows) counts[table] = list.length;
    counts.health_fishparameterscore = 0;
    const batch = rows(full, 'batch_batch')[0]!;
    const off = expectedVolumes(fullSchedule, fullSchedule.batches[0]!, {
      status: 'COMPLETED',
      lastDay: daysBetween(START, batch.actual_end_date!),
      assignments: rows(full, 'batch_batchcontainerassignment').map((a) => ({ order: a.lifecycle_stage_id, from: daysBetween(START, a.assignment_date), to: daysBetween(START, a.departure_date!) })),
      counts,
      healthParameters: 9,
      activityTemplates: 20,
    }).filter((e) => e.actual < e.expected.min || e.actual > e.expected.max);
    expect(off.map((e) => e.table)).toEqual(['health_fishparameterscore']);
  });
});

describe('the test farm', () => {
  it('carries the lice types, vaccines, templates and finance ids the fidelity steps read', () => {
    const f: FarmModel = farm;
    expect(f.liceTypes).toHaveLength(15);
    expect(f.vaccinationTypes.map((v) => v.name)).toEqual(['IPN Vaccine', 'Multi-component Vaccine', 'VHS Vaccine']);
    expect(f.activityTemplates).toHaveLength(20);
    expect(testRingName(1)).toBe('FI-SEA-01-Ring-01');
  });
});
