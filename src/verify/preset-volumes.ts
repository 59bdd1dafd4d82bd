/**
 * Preset volumes: every batch wrote the rows the per-batch formulas (./volume-formulas.ts) give
 * for its plan, no more and no fewer. The expectation is computed from the farm's own schedule
 * (stored with the farm by the seed: containers per stage, rings, stage length, asOf) and, for
 * what the simulation decides (harvest days, rings already emptied), from the batch's assignments;
 * relations between tables are checked exactly (75 observations per health sampling event, a
 * score per observation per active parameter, 30 observations per growth sample, one daily state
 * per assignment-day). A table outside its range counts against the batch.
 */
import { sql } from 'kysely';
import { MARKER_TABLE } from '../db/marker.js';
import type { TableName } from '../schema/tables/index.js';
import { formatCount, plural } from './format.js';
import { rangeCheck, type Measured } from './judge.js';
import { storedSchedule } from './stored-schedule.js';
import { withFarmDb, type FarmTarget } from './target.js';
import type { CheckResult } from './types.js';
import { daysFrom, expectedVolumes } from './volume-formulas.js';

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

/** How many mismatching tables are spelled out per batch. */
const SHOWN = 6;

export async function presetVolumes(target: FarmTarget): Promise<CheckResult> {
  const loaded = await withFarmDb(target, async (db) => {
    const schedule = await storedSchedule(db);
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
      ...(schedule.asOfTime !== undefined ? { asOfTime: schedule.asOfTime } : {}),
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
