/**
 * The per-batch volume formulas of AquaMind's engine notes (§6.1): for a batch's plan and what the
 * simulation decided (its assignments, harvest days), how many rows each table must hold, plus
 * the rows its incidents add. Pure: the engine's unit tests hold it against generated rows, and
 * ./preset-volumes.ts against a seeded database. The constants are written out here on purpose,
 * not read from the generator's tuning, so the check stays independent of what it checks.
 */
import { seaTransferDay, stageStartDay } from '../core/stages.js';
import type { TableName } from '../schema/tables/index.js';
import { incidentContainers } from '../schedule/incidents/whereabouts.js';
import type { BatchPlan, Schedule } from '../schedule/types.js';
import { formatCount } from './format.js';
import type { Range } from './types.js';

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
  /**
   * The farm's "now" on asOf (`HH:MM:SS`, default 00:00:00): a batch not yet harvested lived the
   * days before asOf whole and asOf up to then (src/engine/clock.ts).
   */
  asOfTime?: string;
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

/**
 * The per-batch formulas, against what a batch wrote. A completed batch's last day is its last
 * harvest: no daily routine ran on it. A batch still in the water lived the days before asOf
 * whole; asOf itself only up to the farm's "now": at 00:00 nothing of it, later in the day part
 * of it, so its rows lie between the counts of the days before and of asOf whole.
 */
export function expectedVolumes(schedule: Schedule, plan: BatchPlan, facts: BatchFacts): VolumeExpectation[] {
  if (facts.status === 'COMPLETED') return volumesThrough(schedule, plan, facts, facts.lastDay - 1, facts.lastDay);
  const before = volumesThrough(schedule, plan, facts, facts.lastDay - 1, facts.lastDay - 1);
  if ((facts.asOfTime ?? '00:00:00') === '00:00:00') return before;
  const whole = volumesThrough(schedule, plan, facts, facts.lastDay, facts.lastDay);
  return before.map((b, i) => {
    const w = whole[i]!;
    if (b.expected.min === w.expected.min && b.expected.max === w.expected.max) return b;
    return {
      ...b,
      expected: { min: Math.min(b.expected.min, w.expected.min), max: Math.max(b.expected.max, w.expected.max) },
      formula: `${b.formula} (asOf lived up to ${facts.asOfTime})`,
    };
  });
}

/**
 * The formulas for a batch whose daily routine ran through `lastRoutineDay` and whose transfers,
 * egg placement and harvests happened through `lastEventDay`.
 */
function volumesThrough(schedule: Schedule, plan: BatchPlan, facts: BatchFacts, lastRoutineDay: number, lastEventDay: number): VolumeExpectation[] {
  const S = schedule.stageDays;
  const completed = facts.status === 'COMPLETED';
  // The eggs are placed on day 0: a batch registered for today is PLANNED until they are in.
  const placed = lastEventDay >= 0;
  const stageContainers = [1, 2, 3, 4, 5].map((order) => plan.freshwater[order - 1]?.containers.length ?? 0);
  stageContainers.push(plan.sea?.rings.length ?? 0);
  const reached = (order: number) => lastEventDay >= (order - 1) * S && stageContainers[order - 1]! > 0;
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
  exact('batch_creationworkflow', placed ? 1 : 0, 'one per batch whose eggs are in');
  exact('batch_creationaction', placed ? stageContainers[0]! : 0, 'one per Egg&Alevin container');
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
  for (let d = Math.ceil(stageStartDay(5, S) / HEALTH_EVERY) * HEALTH_EVERY; d <= lastRoutineDay; d += HEALTH_EVERY) if (activeOn(d) > 0) healthEvents++;
  exact('health_healthsamplingevent', healthEvents, 'one every 30th day from Post-Smolt on');
  exact('health_individualfishobservation', HEALTH_FISH * healthEvents, '75 per health sampling event');
  exact('health_fishparameterscore', HEALTH_FISH * healthEvents * facts.healthParameters, 'one per sampled fish per active health parameter');
  exact('health_journalentry', lastRoutineDay >= 0 ? Math.floor(lastRoutineDay / JOURNAL_EVERY) + 1 : 0, '⌊(H−1)/30⌋ + 1');
  let treatments = 0;
  for (const d of VACCINATION_DAYS) if (d <= lastRoutineDay) treatments += activeOn(d);
  const seaStart = seaTransferDay(S);
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
  exact('finance_core_costcenterbatchlink', placed ? 1 : 0, 'one per batch whose eggs are in');

  // Scenario, planning, live projections.
  exact('scenario', placed ? 1 : 0, 'one baseline scenario per batch');
  exact('scenario_projection_run', placed ? 1 : 0, 'one projection run per scenario');
  exact('scenario_scenarioprojection', placed ? SCENARIO_DAYS : 0, '900 daily projections');
  exact('planning_plannedactivity', completed || !placed ? 0 : facts.activityTemplates, 'one per activity template for an ACTIVE batch');
  const holding = completed ? 0 : spans.filter((a) => a.to === null).length;
  exact('batch_containerforecastsummary', holding, 'one per container holding fish of an ACTIVE batch');
  const horizon = seaStart + schedule.adultMaxDays - lastRoutineDay;
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

const MS_PER_DAY = 86_400_000;
/** Days from `start` to `date` (both YYYY-MM-DD). */
export function daysFrom(start: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / MS_PER_DAY);
}
