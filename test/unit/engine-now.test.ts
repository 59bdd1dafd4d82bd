/**
 * "Now" is an instant (src/schedule/dates.ts, src/engine/clock.ts): a batch lives the days before
 * asOf whole and asOf only up to the schedule's asOfTime. Nothing is stamped after that moment, in
 * any table, history included (but the columns that look forward by meaning), and what is due
 * later that day is not done: the afternoon meal, the mortality check, a transfer, the eggs.
 */
import { describe, expect, it } from 'vitest';
import { tables, type Row, type TableName } from '../../src/schema/tables/index.js';
import { FORWARD_LOOKING_COLUMNS } from '../../src/engine/forward-dates.js';
import { addDays } from '../../src/core/time.js';
import type { Schedule } from '../../src/schedule/types.js';
import { runBatch, type EngineRun } from '../support/engine-run.js';
import { buildTestFarm, buildTestSchedule } from '../support/test-farm.js';

const START = '2022-01-03';
const farm = buildTestFarm();
const forward = new Set(FORWARD_LOOKING_COLUMNS);

const dated = (asOf: string, asOfTime?: string): Schedule => ({ ...buildTestSchedule({ asOf }), ...(asOfTime ? { asOfTime } : {}) });
const rows = <N extends TableName>(run: EngineRun, table: N): Row<N>[] => run.sink.of(table);

/** Every date or timestamp of every table the run wrote that lies after `now` (`YYYY-MM-DD HH:MM:SS+00`). */
function stampedAfter(run: EngineRun, now: string): string[] {
  const late: string[] = [];
  for (const [table, list] of run.sink.rows) {
    const columns = Object.entries(tables[table].columns).filter(([, type]) => type.startsWith('date') || type.startsWith('timestamptz'));
    for (const [column, type] of columns) {
      if (forward.has(`${table}.${column}`)) continue;
      const limit = type.startsWith('date') ? now.slice(0, 10) : now;
      for (const row of list as Record<string, string | null>[]) {
        const value = row[column];
        if (value && value > limit && late.length < 10) late.push(`${table}.${column} = ${value}`);
      }
    }
  }
  return late;
}

describe('a batch dated at a moment of the day', () => {
  // Day 100 (Fry), 11:33: the readings of 06, 08 and 10 h and the 08:00 meal are in; the rest is not.
  const asOf = addDays(START, 100);
  const now = `${asOf} 11:33:00+00`;
  const run = runBatch(farm, dated(asOf, '11:33:00'));

  it('stamps nothing after that moment, in any table, history included', () => {
    expect(run.sink.count('batch_historicalbatch')).toBeGreaterThan(0);
    expect(stampedAfter(run, now)).toEqual([]);
  });

  it('has fed the 08:00 meal of that day and not the 16:00 one', () => {
    const today = rows(run, 'inventory_feedingevent').filter((f) => f.feeding_date === asOf);
    expect(today.length).toBe(10);
    expect(new Set(today.map((f) => f.feeding_time))).toEqual(new Set(['08:00']));
    const yesterday = rows(run, 'inventory_feedingevent').filter((f) => f.feeding_date === addDays(asOf, -1));
    expect(new Set(yesterday.map((f) => f.feeding_time))).toEqual(new Set(['08:00', '16:00']));
  });

  it('has read the sensors up to 10:00 and done neither the noon mortality check nor the day’s growth', () => {
    const hours = new Set(rows(run, 'environmental_environmentalreading').filter((r) => r.reading_time.startsWith(asOf)).map((r) => r.reading_time.slice(11, 16)));
    expect(hours).toEqual(new Set(['06:00', '08:00', '10:00']));
    expect(rows(run, 'batch_mortalityevent').filter((m) => m.event_date === asOf)).toEqual([]);
    expect(rows(run, 'batch_actualdailyassignmentstate').filter((s) => s.date === asOf)).toEqual([]);
    // The live projection starts with the day whose growth is not in yet, computed at that moment.
    const summary = rows(run, 'batch_containerforecastsummary')[0]!;
    expect(summary.last_computed).toBe(now);
    expect(rows(run, 'batch_liveforwardprojection').map((p) => p.projection_date).sort()[0]).toBe(asOf);
  });

  it('is the same farm for the same moment, and a different one an hour later', () => {
    const again = runBatch(farm, dated(asOf, '11:33:00'));
    expect(again.sink.rows).toEqual(run.sink.rows);
    const later = runBatch(farm, dated(asOf, '16:30:00'));
    expect(rows(later, 'inventory_feedingevent').filter((f) => f.feeding_date === asOf && f.feeding_time === '16:00')).toHaveLength(10);
    expect(stampedAfter(later, `${asOf} 16:30:00+00`)).toEqual([]);
  });

  it('writes the whole day before asOf and nothing of asOf when dated at its start', () => {
    const midnight = runBatch(farm, dated(asOf));
    expect(stampedAfter(midnight, `${asOf} 00:00:00+00`)).toEqual([]);
    expect(rows(midnight, 'environmental_environmentalreading').some((r) => r.reading_time.startsWith(asOf))).toBe(false);
    expect(rows(midnight, 'batch_actualdailyassignmentstate').some((s) => s.date === addDays(asOf, -1))).toBe(true);
  });
});

describe('what is due later on the asOf day is planned, not done', () => {
  const transferDay = addDays(START, 90);

  it('a stage transfer planned at 07:00 and due at 09:00: PLANNED, its actions PENDING, the fish where they were', () => {
    const run = runBatch(farm, dated(transferDay, '08:00:00'));
    expect(stampedAfter(run, `${transferDay} 08:00:00+00`)).toEqual([]);
    const [workflow] = rows(run, 'batch_batchtransferworkflow');
    expect(workflow).toMatchObject({ status: 'PLANNED', actions_completed: 0, actual_start_date: null, completed_by_id: null, total_source_count: workflow!.estimated_total_count });
    const actions = rows(run, 'batch_transferaction');
    expect(actions.length).toBe(10);
    expect(actions.every((a) => a.status === 'PENDING' && a.dest_assignment_id === null && a.dest_container_id !== null)).toBe(true);
    const active = rows(run, 'batch_batchcontainerassignment').filter((a) => a.is_active);
    expect(active).toHaveLength(10);
    expect(active.every((a) => a.lifecycle_stage_id === 1)).toBe(true);
    expect(rows(run, 'batch_batch')[0]).toMatchObject({ status: 'ACTIVE', lifecycle_stage_id: 1 });
    // The 08:00 meal of the day went to the fish where they were: Egg&Alevin is not fed.
    expect(rows(run, 'inventory_feedingevent')).toHaveLength(0);

    const moved = runBatch(farm, dated(transferDay, '09:00:00'));
    expect(rows(moved, 'batch_batchtransferworkflow')[0]).toMatchObject({ status: 'COMPLETED', completion_percentage: 100 });
    expect(rows(moved, 'batch_batch')[0]).toMatchObject({ lifecycle_stage_id: 2 });
    expect(rows(moved, 'batch_batchcontainerassignment').filter((a) => a.is_active).every((a) => a.lifecycle_stage_id === 2)).toBe(true);
  });

  it('eggs due at 08:00: before then the batch is registered PLANNED and nothing else', () => {
    const run = runBatch(farm, dated(START));
    expect(rows(run, 'batch_batch')).toMatchObject([{ status: 'PLANNED', created_at: `${START} 00:00:00+00` }]);
    expect(rows(run, 'batch_historicalbatch')).toMatchObject([{ history_type: '+', status: 'PLANNED' }]);
    const written = [...run.sink.rows.entries()].filter(([, list]) => list.length > 0).map(([table]) => table).sort();
    expect(written).toEqual(['batch_batch', 'batch_historicalbatch']);
    expect(run.outcome.status).toBe('PLANNED');

    const placed = runBatch(farm, dated(START, '08:15:00'));
    expect(rows(placed, 'batch_batch')[0]).toMatchObject({ status: 'ACTIVE' });
    expect(rows(placed, 'batch_batchcontainerassignment')).toHaveLength(10);
    // The baseline scenario comes at 08:30, and with it the planned activities.
    expect(rows(placed, 'scenario')).toHaveLength(0);
    expect(rows(placed, 'planning_plannedactivity')).toHaveLength(0);
    expect(stampedAfter(placed, `${START} 08:15:00+00`)).toEqual([]);
  });

  it('a harvest due at 10:00: before then the rings still hold their fish', () => {
    const full = runBatch(farm, buildTestSchedule());
    const firstHarvest = rows(full, 'harvest_harvestevent').map((e) => e.event_date.slice(0, 10)).sort()[0]!;
    const before = runBatch(farm, dated(firstHarvest, '09:59:59'));
    expect(rows(before, 'harvest_harvestevent')).toHaveLength(0);
    expect(rows(before, 'batch_batchcontainerassignment').filter((a) => a.is_active)).toHaveLength(20);
    const after = runBatch(farm, dated(firstHarvest, '10:00:00'));
    expect(rows(after, 'harvest_harvestevent')).toHaveLength(2);
    expect(stampedAfter(after, `${firstHarvest} 10:00:00+00`)).toEqual([]);
  });
});
