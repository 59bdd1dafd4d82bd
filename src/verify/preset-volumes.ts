/**
 * Preset volumes: every batch wrote the rows the per-batch formulas of AquaMind's engine notes
 * (§6.1) give for its plan, no more and no fewer. The expectation is computed from the farm's own
 * schedule (stored in `aquaseed_farm.schedule` by the seed: containers per stage, rings, stage
 * length, asOf) and, for what the simulation decides (harvest days, rings already emptied), from
 * the batch's assignments; relations between tables are checked exactly (75 observations per health
 * sampling event, a score per observation per active parameter, 30 observations per growth
 * sample, one daily state per assignment-day). A table outside its range counts against the batch.
 *
 * `expectedVolumes` is the pure part: the engine's unit tests hold it against generated rows.
 */
import { sql } from 'kysely';
import { MARKER_TABLE, readMarkerIn } from '../db/marker.js';
import type { TableName } from '../schema/tables/index.js';
import type { BatchPlan, Schedule } from '../schedule/types.js';
import { incidentContainers } from '../schedule/incidents.js';
import { formatCount, plural } from './format.js';
import { rangeCheck, type Measured } from './judge.js';
import { withFarmDb, type FarmTarget } from './target.js';
import type { CheckResult, Range } from './types.js';

/** Readings per container-day: 6 reading hours × the parameters its sensors carry (7 in a tank, 3 in a ring). */
const READINGS_PER_DAY = { freshwater: 6 * 7, sea: 6 * 3 } as const;
const GROWTH_SAMPLE_EVERY = 7;
const GROWTH_OBSERVATIONS = 30;
const HEALTH_EVERY = 30;
const HEALTH_FISH = 75;
const JOURNAL_EVERY = 30;
const LICE_EVERY = 7;
/** Lice rows per ring count: 4 L. salmonis stages, plus one Caligus row in 15 % of counts. */
const LICE_ROWS = 4;
const CALIGUS_SHARE = 0.15;
const VACCINATION_DAYS = [180, 210, 280, 310];
const LICE_TREATMENT_ADULT_DAYS = [150, 270];
const HARVEST_GRADES = 5;
const SCENARIO_DAYS = 900;

/** One assignment in batch-relative days: [from, to) with `to` null while it still holds fish. */
export interface AssignmentSpan {
  order: number;
  from: number;
  to: number | null;
}

export interface BatchFacts {
  status: string;
  /** Batch-relative index of the batch's last day: the last harvest day, or asOf. */
  lastDay: number;
  assignments: readonly AssignmentSpan[];
  /** Rows per table for this batch, as found. */
  counts: Readonly<Partial<Record<TableName, number>>>;
  /** Active health parameters (each sampled fish gets one score per parameter). */
  healthParameters: number;
  /** DAY_OFFSET activity templates (one planned activity each for an ACTIVE batch). */
  activityTemplates: number;
}

export interface VolumeExpectation {
  table: TableName;
  expected: Range;
  actual: number;
  /** The formula, in words, for a failure message. */
  formula: string;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** How many d in [from, to) are multiples of `every` and at least `min`. */
function multiplesIn(from: number, to: number, every: number, min = 0): number {
  const start = Math.max(from, min);
  if (to <= start) return 0;
  return Math.floor((to - 1) / every) - Math.floor((start - 1) / every);
}

/** The per-batch formulas, against what a batch wrote. */
export function expectedVolumes(schedule: Schedule, plan: BatchPlan, facts: BatchFacts): VolumeExpectation[] {
  const S = schedule.stageDays;
  const completed = facts.status === 'COMPLETED';
  // A completed batch's last day is its last harvest: no daily routine ran on it.
  const lastRoutineDay = completed ? facts.lastDay - 1 : facts.lastDay;
  const stageContainers = [1, 2, 3, 4, 5].map((order) => plan.freshwater[order - 1]?.containers.length ?? 0);
  stageContainers.push(plan.sea?.rings.length ?? 0);
  const reached = (order: number) => facts.lastDay >= (order - 1) * S && stageContainers[order - 1]! > 0;
  const spans = facts.assignments.map((a) => ({ ...a, end: a.to ?? lastRoutineDay + 1 }));
  const days = (filter: (order: number) => boolean) =>
    spans.reduce((n, a) => n + (filter(a.order) ? Math.max(0, a.end - a.from) : 0), 0);
  const activeOn = (d: number, filter: (order: number) => boolean = () => true) =>
    spans.filter((a) => filter(a.order) && a.from <= d && d < a.end).length;
  const out: VolumeExpectation[] = [];
  // The batch's incidents add rows of their own (docs/incidents.md), exactly known from the plan.
  const extra = incidentRows(schedule, plan, facts.healthParameters);
  const plus = (table: TableName, formula: string) => (extra[table] ? { n: extra[table], formula: `${formula}, + ${formatCount(extra[table])} of its incidents` } : { n: 0, formula });
  const exact = (table: TableName, n: number, formula: string) => {
    const more = plus(table, formula);
    out.push({ table, expected: { min: n + more.n, max: n + more.n }, actual: facts.counts[table] ?? 0, formula: more.formula });
  };
  const between = (table: TableName, min: number, max: number, formula: string) => {
    const more = plus(table, formula);
    out.push({ table, expected: { min: Math.ceil(min) + more.n, max: Math.floor(max) + more.n }, actual: facts.counts[table] ?? 0, formula: more.formula });
  };

  // Creation, assignments, transfers: the plan's containers per stage reached.
  exact('batch_batch', 1, 'one per batch');
  exact('batch_creationworkflow', 1, 'one per batch');
  exact('batch_creationaction', stageContainers[0]!, 'one per Egg&Alevin container');
  const assignments = [1, 2, 3, 4, 5, 6].reduce((n, order) => n + (reached(order) ? stageContainers[order - 1]! : 0), 0);
  exact('batch_batchcontainerassignment', assignments, 'one per container of every stage reached (50 + R)');
  let workflows = 0;
  let actions = 0;
  for (let order = 2; order <= 6; order++) {
    if (!reached(order)) continue;
    workflows++;
    const n = stageContainers[order - 2]!;
    const m = stageContainers[order - 1]!;
    actions += n + m - gcd(n, m);
  }
  exact('batch_batchtransferworkflow', workflows, 'one per stage transition reached');
  exact('batch_transferaction', actions, 'n + m − gcd(n, m) per transition (every source and destination paired)');

  // The daily routine, per container-day.
  const freshwaterDays = days((order) => order <= 5);
  const seaDays = days((order) => order === 6);
  const fedDays = days((order) => order >= 2);
  exact('batch_actualdailyassignmentstate', freshwaterDays + seaDays, 'one per assignment-day (10·450 + R·(H−450))');
  exact(
    'environmental_environmentalreading',
    READINGS_PER_DAY.freshwater * freshwaterDays + READINGS_PER_DAY.sea * seaDays,
    '6·7 per tank-day + 6·3 per ring-day',
  );
  exact('inventory_feedingevent', 2 * fedDays, 'two meals per container-day from Fry on');
  between('batch_mortalityevent', 0.97 * (freshwaterDays + seaDays), freshwaterDays + seaDays, '≈ one per container-day (a day without deaths has none)');
  const samples = spans.reduce((n, a) => n + (a.order >= 2 ? multiplesIn(a.from, a.end, GROWTH_SAMPLE_EVERY) : 0), 0);
  exact('batch_growthsample', samples, 'one per container every 7th day from Fry on (520 + R·⌈(H−455)/7⌉)');
  exact('batch_individualgrowthobservation', GROWTH_OBSERVATIONS * samples, '30 per growth sample');

  // Health.
  const sessions = spans.reduce((n, a) => n + (a.order === 6 ? multiplesIn(a.from, a.end, LICE_EVERY) : 0), 0);
  const spread = 5 * Math.sqrt(CALIGUS_SHARE * (1 - CALIGUS_SHARE) * sessions);
  between(
    'health_licecount',
    LICE_ROWS * sessions + Math.max(0, CALIGUS_SHARE * sessions - spread),
    LICE_ROWS * sessions + Math.min(sessions, CALIGUS_SHARE * sessions + spread),
    `≈ 4.15 per weekly ring count (${formatCount(sessions)} counts)`,
  );
  let healthEvents = 0;
  for (let d = Math.ceil((4 * S) / HEALTH_EVERY) * HEALTH_EVERY; d <= lastRoutineDay; d += HEALTH_EVERY) if (activeOn(d) > 0) healthEvents++;
  exact('health_healthsamplingevent', healthEvents, 'one every 30th day from Post-Smolt on');
  exact('health_individualfishobservation', HEALTH_FISH * healthEvents, '75 per health sampling event');
  exact('health_fishparameterscore', HEALTH_FISH * healthEvents * facts.healthParameters, 'one per sampled fish per active health parameter');
  exact('health_journalentry', lastRoutineDay >= 0 ? Math.floor(lastRoutineDay / JOURNAL_EVERY) + 1 : 0, '⌊(H−1)/30⌋ + 1');
  let treatments = 0;
  for (const d of VACCINATION_DAYS) if (d <= lastRoutineDay) treatments += activeOn(d);
  const seaStart = 5 * S;
  for (const adultDay of LICE_TREATMENT_ADULT_DAYS) {
    const d = seaStart + adultDay;
    if (d <= lastRoutineDay) treatments += activeOn(d, (order) => order === 6);
  }
  exact('health_treatment', treatments, '40 vaccinations + 2 lice treatments per ring still at sea');

  // Harvest and finance.
  const harvested = completed ? stageContainers[5]! : spans.filter((a) => a.order === 6 && a.to !== null).length;
  exact('harvest_harvestevent', harvested, 'one per harvested ring');
  exact('harvest_harvestlot', HARVEST_GRADES * harvested, 'five graded lots per harvest event');
  exact('finance_factharvest', HARVEST_GRADES * harvested, 'one per harvest lot');
  exact('finance_intercompanytransaction', (reached(6) ? 1 : 0) + HARVEST_GRADES * harvested, 'the smolt sale + one per harvest event and grade');
  exact('finance_core_costcenterbatchlink', 1, 'one per batch');

  // Scenario, planning, live projections.
  exact('scenario', 1, 'one baseline scenario per batch');
  exact('scenario_projection_run', 1, 'one projection run per scenario');
  exact('scenario_scenarioprojection', SCENARIO_DAYS, '900 daily projections');
  exact('planning_plannedactivity', completed ? 0 : facts.activityTemplates, 'one per activity template for an ACTIVE batch');
  const holding = completed ? 0 : spans.filter((a) => a.to === null).length;
  exact('batch_containerforecastsummary', holding, 'one per container holding fish of an ACTIVE batch');
  const horizon = seaStart + schedule.adultMaxDays - facts.lastDay;
  between('batch_liveforwardprojection', 0, holding * Math.max(0, horizon), 'per holding container, one per day to harvest');
  // Feeding summaries: at most one per fed container-day (and per feeding day for the batch).
  between('inventory_containerfeedingsummary', 0, fedDays, 'at most one per fed container-day');
  const purchases = facts.counts.inventory_feedpurchase ?? 0;
  exact('inventory_feedcontainerstock', purchases, 'one stock row per feed purchase');
  return out;
}

/** Routine reading hours: an excursion logs the other hours of its window as extra readings. */
const ROUTINE_READING_HOURS = new Set([6, 8, 10, 14, 16, 18]);

/** Rows a batch's incidents write on top of its routine ones, per table (src/engine/incidents). */
export function incidentRows(schedule: Schedule, plan: BatchPlan, healthParameters: number): Partial<Record<TableName, number>> {
  const rows: Partial<Record<TableName, number>> = {};
  const add = (table: TableName, n: number) => {
    if (n > 0) rows[table] = (rows[table] ?? 0) + n;
  };
  for (const incident of schedule.incidents ?? []) {
    if (incident.batch !== plan.batchNumber) continue;
    const containers = incident.kind === 'harvest-overdue' ? 0 : incidentContainers(incident, plan, schedule.stageDays).length;
    const d = daysFrom(plan.startDate, incident.day);
    switch (incident.kind) {
      case 'lice-outbreak':
        if (d % LICE_EVERY !== 0) add('health_licecount', LICE_ROWS * containers);
        if (!incident.untreated) add('health_treatment', containers);
        break;
      case 'oxygen-drop':
      case 'temperature-spike': {
        const from = Number(incident.from.slice(0, 2));
        let hours = 0;
        for (let h = from; h < from + incident.hours; h++) if (!ROUTINE_READING_HOURS.has(h)) hours++;
        add('environmental_environmentalreading', hours * containers);
        break;
      }
      case 'mortality-spike':
        add('batch_mortalityevent', containers);
        break;
      case 'disease':
        add('health_healthsamplingevent', 1);
        add('health_individualfishobservation', HEALTH_FISH);
        add('health_fishparameterscore', HEALTH_FISH * healthParameters);
        add('health_journalentry', 2);
        break;
      case 'harvest-overdue':
      case 'feed-shortage':
        break;
    }
  }
  return rows;
}

interface BatchRow {
  id: number;
  batch_number: string;
  status: string;
  start_date: string;
  actual_end_date: string | null;
}

interface AssignmentRow {
  batch_id: number;
  order: number;
  assignment_date: string;
  departure_date: string | null;
}

interface CountRow {
  batch_id: number;
  table_name: TableName;
  n: number;
}

/** The batch number inside a purchase lot `AUTO-<batch number>-<n>` (an equality join, not a LIKE per pair). */
const LOT_BATCH = "substring(p.batch_number from '^AUTO-(.*)-[0-9]+$')";

/** Per-batch row counts: each table reached from its batch through the shortest path. */
const COUNT_QUERIES: readonly [TableName, string][] = [
  ['batch_batch', 'SELECT id AS batch_id FROM batch_batch'],
  ['batch_creationworkflow', 'SELECT batch_id FROM batch_creationworkflow'],
  ['batch_creationaction', 'SELECT w.batch_id FROM batch_creationaction x JOIN batch_creationworkflow w ON w.id = x.workflow_id'],
  ['batch_batchcontainerassignment', 'SELECT batch_id FROM batch_batchcontainerassignment'],
  ['batch_batchtransferworkflow', 'SELECT batch_id FROM batch_batchtransferworkflow'],
  ['batch_transferaction', 'SELECT w.batch_id FROM batch_transferaction x JOIN batch_batchtransferworkflow w ON w.id = x.workflow_id'],
  ['batch_actualdailyassignmentstate', 'SELECT batch_id FROM batch_actualdailyassignmentstate'],
  ['environmental_environmentalreading', 'SELECT batch_id FROM environmental_environmentalreading'],
  ['inventory_feedingevent', 'SELECT batch_id FROM inventory_feedingevent'],
  ['batch_mortalityevent', 'SELECT batch_id FROM batch_mortalityevent'],
  ['batch_growthsample', 'SELECT a.batch_id FROM batch_growthsample x JOIN batch_batchcontainerassignment a ON a.id = x.assignment_id'],
  [
    'batch_individualgrowthobservation',
    'SELECT a.batch_id FROM batch_individualgrowthobservation o JOIN batch_growthsample x ON x.id = o.growth_sample_id JOIN batch_batchcontainerassignment a ON a.id = x.assignment_id',
  ],
  ['health_licecount', 'SELECT batch_id FROM health_licecount'],
  ['health_healthsamplingevent', 'SELECT a.batch_id FROM health_healthsamplingevent e JOIN batch_batchcontainerassignment a ON a.id = e.assignment_id'],
  [
    'health_individualfishobservation',
    'SELECT a.batch_id FROM health_individualfishobservation o JOIN health_healthsamplingevent e ON e.id = o.sampling_event_id JOIN batch_batchcontainerassignment a ON a.id = e.assignment_id',
  ],
  [
    'health_fishparameterscore',
    'SELECT a.batch_id FROM health_fishparameterscore s JOIN health_individualfishobservation o ON o.id = s.individual_fish_observation_id ' +
      'JOIN health_healthsamplingevent e ON e.id = o.sampling_event_id JOIN batch_batchcontainerassignment a ON a.id = e.assignment_id',
  ],
  ['health_journalentry', 'SELECT batch_id FROM health_journalentry'],
  ['health_treatment', 'SELECT batch_id FROM health_treatment'],
  ['harvest_harvestevent', 'SELECT batch_id FROM harvest_harvestevent'],
  ['harvest_harvestlot', 'SELECT e.batch_id FROM harvest_harvestlot l JOIN harvest_harvestevent e ON e.id = l.event_id'],
  ['finance_factharvest', 'SELECT dim_batch_id AS batch_id FROM finance_factharvest'],
  [
    'finance_intercompanytransaction',
    'SELECT coalesce(e.batch_id, w.batch_id) AS batch_id FROM finance_intercompanytransaction t ' +
      'LEFT JOIN harvest_harvestevent e ON e.id = t.event_id ' +
      "LEFT JOIN django_content_type ct ON ct.id = t.content_type_id AND ct.app_label = 'batch' AND ct.model = 'batchtransferworkflow' " +
      'LEFT JOIN batch_batchtransferworkflow w ON ct.id IS NOT NULL AND w.id = t.object_id',
  ],
  ['finance_core_costcenterbatchlink', 'SELECT batch_id FROM finance_core_costcenterbatchlink'],
  ['scenario', 'SELECT batch_id FROM scenario'],
  ['scenario_projection_run', 'SELECT s.batch_id FROM scenario_projection_run r JOIN scenario s ON s.scenario_id = r.scenario_id'],
  [
    'scenario_scenarioprojection',
    'SELECT s.batch_id FROM scenario_scenarioprojection p JOIN scenario_projection_run r ON r.run_id = p.projection_run_id JOIN scenario s ON s.scenario_id = r.scenario_id',
  ],
  ['planning_plannedactivity', 'SELECT batch_id FROM planning_plannedactivity'],
  ['batch_containerforecastsummary', 'SELECT a.batch_id FROM batch_containerforecastsummary f JOIN batch_batchcontainerassignment a ON a.id = f.assignment_id'],
  ['batch_liveforwardprojection', 'SELECT batch_id FROM batch_liveforwardprojection'],
  ['inventory_containerfeedingsummary', 'SELECT batch_id FROM inventory_containerfeedingsummary'],
  // A batch's purchases and stock are its own lots (AUTO-<batch>-nnnn); the farm's opening stock belongs to none.
  ['inventory_feedpurchase', `SELECT b.id AS batch_id FROM inventory_feedpurchase p JOIN batch_batch b ON ${LOT_BATCH} = b.batch_number`],
  [
    'inventory_feedcontainerstock',
    `SELECT b.id AS batch_id FROM inventory_feedcontainerstock s JOIN inventory_feedpurchase p ON p.id = s.feed_purchase_id JOIN batch_batch b ON ${LOT_BATCH} = b.batch_number`,
  ],
];

const MS_PER_DAY = 86_400_000;
function daysFrom(start: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / MS_PER_DAY);
}

/** How many mismatching tables are spelled out per batch. */
const SHOWN = 6;

export async function presetVolumes(target: FarmTarget): Promise<CheckResult> {
  const loaded = await withFarmDb(target, async (db) => {
    const schedule = (await readMarkerIn(db))?.schedule;
    if (!schedule) return null;
    const batches = (
      await sql<BatchRow>`
        SELECT id::float8 AS id, batch_number, status, to_char(start_date, 'YYYY-MM-DD') AS start_date,
               to_char(actual_end_date, 'YYYY-MM-DD') AS actual_end_date
        FROM batch_batch`.execute(db)
    ).rows;
    const assignments = (
      await sql<AssignmentRow>`
        SELECT a.batch_id::float8 AS batch_id, s."order"::int AS "order",
               to_char(a.assignment_date, 'YYYY-MM-DD') AS assignment_date, to_char(a.departure_date, 'YYYY-MM-DD') AS departure_date
        FROM batch_batchcontainerassignment a JOIN batch_lifecyclestage s ON s.id = a.lifecycle_stage_id`.execute(db)
    ).rows;
    // A table the database lacks (an app an older AquaMind predates, left out by existing-schema mode) is not judged.
    const tables = COUNT_QUERIES.map(([table]) => table);
    const found = await sql<{ name: TableName }>`
      SELECT relname AS name FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relname = ANY(${tables})`.execute(db);
    const held = new Set(found.rows.map((row) => row.name));
    const union = COUNT_QUERIES.filter(([table]) => held.has(table)).map(([table, query]) => `SELECT '${table}' AS table_name, batch_id::float8 AS batch_id, count(*)::float8 AS n FROM (${query}) q GROUP BY batch_id`).join(
      ' UNION ALL ',
    );
    const counts = (await sql<CountRow>`${sql.raw(union)}`.execute(db)).rows;
    const parameters = (await sql<{ n: number }>`SELECT count(*)::float8 AS n FROM health_healthparameter WHERE is_active`.execute(db)).rows[0]?.n ?? 0;
    const templates = (
      await sql<{ n: number }>`SELECT count(*)::float8 AS n FROM planning_activitytemplate WHERE is_active AND trigger_type = 'DAY_OFFSET'`.execute(db)
    ).rows[0]?.n ?? 0;
    return { schedule, batches, assignments, counts, parameters, templates, held };
  });
  if (!loaded) {
    // Not seeded by aquaseed: there is no schedule to hold the farm against.
    return rangeCheck({
      name: 'presetVolumes',
      label: 'tables off their volume formula',
      unit: 'rows',
      expected: { min: 0, max: 0 },
      measured: [],
      value: null,
      emptyReason: `no schedule in ${MARKER_TABLE} (the database was not seeded by aquaseed)`,
    });
  }
  const { schedule, batches, assignments, counts, parameters, templates, held } = loaded;
  const byBatch = new Map<number, Partial<Record<TableName, number>>>();
  for (const row of counts) {
    let tally = byBatch.get(row.batch_id);
    if (!tally) byBatch.set(row.batch_id, (tally = {}));
    tally[row.table_name] = row.n;
  }
  const measured: Measured[] = [];
  const details: string[] = [];
  let checkedTables = 0;
  for (const batch of batches) {
    const plan = schedule.batches.find((p) => p.batchNumber === batch.batch_number);
    if (!plan) {
      measured.push({ batchNumber: batch.batch_number, value: null, note: 'not in the stored schedule' });
      continue;
    }
    const lastDay = daysFrom(batch.start_date, batch.status === 'COMPLETED' && batch.actual_end_date ? batch.actual_end_date : schedule.asOf);
    const spans = assignments
      .filter((a) => a.batch_id === batch.id)
      .map((a) => ({ order: a.order, from: daysFrom(batch.start_date, a.assignment_date), to: a.departure_date ? daysFrom(batch.start_date, a.departure_date) : null }));
    const expectations = expectedVolumes(schedule, plan, {
      status: batch.status,
      lastDay,
      assignments: spans,
      counts: byBatch.get(batch.id) ?? {},
      healthParameters: parameters,
      activityTemplates: templates,
    }).filter((e) => held.has(e.table));
    checkedTables += expectations.length;
    const off = expectations.filter((e) => e.actual < e.expected.min || e.actual > e.expected.max);
    const entry: Measured = { batchNumber: batch.batch_number, value: off.length };
    if (off.length > 0) {
      entry.note = `${off.map((e) => e.table).slice(0, 3).join(', ')}${off.length > 3 ? ', …' : ''}`;
      for (const e of off.slice(0, SHOWN)) {
        const range = e.expected.min === e.expected.max ? formatCount(e.expected.min) : `${formatCount(e.expected.min)}-${formatCount(e.expected.max)}`;
        details.push(`${batch.batch_number}: ${e.table} has ${plural(e.actual, 'row')}, expected ${range} (${e.formula})`);
      }
    }
    measured.push(entry);
  }
  const result = rangeCheck({
    name: 'presetVolumes',
    label: 'tables off their volume formula',
    unit: 'rows',
    expected: { min: 0, max: 0 },
    measured,
    value: measured.reduce((n, m) => n + (m.value ?? 0), 0),
    counts: { batches: measured.length, tablesChecked: checkedTables },
    emptyReason: 'no batch to judge',
  });
  const absent = COUNT_QUERIES.map(([table]) => table).filter((table) => !held.has(table));
  if (absent.length > 0) details.push(`not judged, the database has no such table: ${absent.join(', ')}`);
  if (details.length > 0) result.detail = details.join('\n');
  return result;
}
