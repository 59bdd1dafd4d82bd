/**
 * Planning and execution agree: every batch of a plan, run through the real engine (no database),
 * stays inside the containers and days the plan booked for it, so no container ever holds two
 * batches, and leaves its sea rings before the booking the planner derived from its harvest target
 * ends. The 40-batch and full-saturation presets whole, and the batches of the uat preset that
 * reach the sea (its Adult ladder must still be in the water on asOf).
 */
import { describe, expect, it } from 'vitest';
import { simulateBatch } from '../../src/engine/batch.js';
import type { RowSink } from '../../src/rows/sink.js';
import { addDays, dayNumber, isoDate } from '../../src/core/time.js';
import { buildFarm } from '../../src/farm/index.js';
import type { FarmModel } from '../../src/core/model.js';
import { planSchedule } from '../../src/preset-files/resolve.js';
import { scheduleStats } from '../../src/schedule/stats.js';
import type { BatchPlan, Schedule } from '../../src/schedule/types.js';

interface Stay {
  batch: string;
  container: string;
  from: number;
  /** Exclusive; Infinity while the batch still holds it on asOf. */
  to: number;
}

interface Run {
  stays: Stay[];
  status: Map<string, string>;
  /** The stage order each batch is in at the end of its run. */
  stage: Map<string, number>;
}

/** Runs the batches through the engine, keeping only their assignments and final status. */
function runBatches(schedule: Schedule, plans: readonly BatchPlan[]): Run {
  const farm: FarmModel = buildFarm({ seed: schedule.seed, establishedOn: addDays(schedule.batches[0]!.startDate, -30) });
  const stageOrder = new Map(farm.stages.map((s) => [s.id, s.order]));
  const run: Run = { stays: [], status: new Map(), stage: new Map() };
  for (const plan of plans) {
    const sink: RowSink = {
      emit(table, row) {
        if (table === 'batch_batchcontainerassignment') {
          const a = row as { container_id: number; assignment_date: string; departure_date: string | null };
          run.stays.push({
            batch: plan.batchNumber,
            container: farm.containers.get(a.container_id)!.name,
            from: dayNumber(a.assignment_date),
            to: a.departure_date === null ? Number.POSITIVE_INFINITY : dayNumber(a.departure_date),
          });
        } else if (table === 'batch_batch') {
          const b = row as { status: string; lifecycle_stage_id: number };
          run.status.set(plan.batchNumber, b.status);
          run.stage.set(plan.batchNumber, stageOrder.get(b.lifecycle_stage_id)!);
        }
      },
    };
    const batch = simulateBatch({ farm, schedule, plan }, sink);
    while (!batch.next().done) {
      // one simulated day per step
    }
  }
  return run;
}

/** Stays on one container that overlap (both hold fish on some day), as the verify check sees them. */
function overlaps(stays: readonly Stay[]): string[] {
  const byContainer = new Map<string, Stay[]>();
  for (const s of stays) if (s.from < s.to) (byContainer.get(s.container) ?? byContainer.set(s.container, []).get(s.container)!).push(s);
  const found: string[] = [];
  for (const [container, list] of byContainer) {
    list.sort((a, b) => a.from - b.from);
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.from < list[i - 1]!.to) found.push(`${container}: ${list[i - 1]!.batch} and ${list[i]!.batch} on ${isoDate(list[i]!.from)}`);
    }
  }
  return found;
}

/** Stays outside what the plan booked for that batch and container. */
function outsideBookings(schedule: Schedule, stays: readonly Stay[]): string[] {
  const asOf = dayNumber(schedule.asOf);
  const booked = new Map<string, [number, number][]>();
  for (const b of schedule.batches) {
    const start = dayNumber(b.startDate);
    const add = (container: string, from: number, to: number) => {
      const key = `${b.batchNumber} ${container}`;
      booked.set(key, [...(booked.get(key) ?? []), [start + from, start + to]]);
    };
    for (const f of b.freshwater) for (const c of f.containers) add(c, f.startDay, f.endDay);
    if (b.sea) for (const r of b.sea.rings) add(r, b.sea.startDay, b.sea.endDay);
  }
  return stays
    .filter((s) => {
      // A stay still open on asOf is judged up to asOf: nothing later exists.
      const to = Math.min(s.to, asOf + 1);
      return !(booked.get(`${s.batch} ${s.container}`) ?? []).some(([from, end]) => from <= s.from && to <= end);
    })
    .map((s) => `${s.batch} in ${s.container} [${isoDate(s.from)}, ${Number.isFinite(s.to) ? isoDate(s.to) : 'open'})`);
}

describe('the engine keeps to the plan', () => {
  it('40-batch: every stay inside its booking, no container held twice, stages on asOf as planned', () => {
    const schedule = planSchedule('40-batch');
    const run = runBatches(schedule, schedule.batches);
    expect(run.stays.length).toBeGreaterThan(40 * 50);
    expect(outsideBookings(schedule, run.stays)).toEqual([]);
    expect(overlaps(run.stays)).toEqual([]);
    const stats = scheduleStats(schedule);
    const active = [...run.status.values()].filter((s) => s === 'ACTIVE').length;
    expect(Math.abs(active - stats.active)).toBeLessThanOrEqual(1);
    const activeOrders = new Set([...run.stage].filter(([batch]) => run.status.get(batch) === 'ACTIVE').map(([, order]) => order));
    expect(activeOrders.size).toBeGreaterThanOrEqual(5);
  });

  it('full-saturation: the densest plan holds too (rings reused as soon as the bound allows)', () => {
    const schedule = planSchedule('full-saturation');
    const run = runBatches(schedule, schedule.batches);
    expect(outsideBookings(schedule, run.stays)).toEqual([]);
    expect(overlaps(run.stays)).toEqual([]);
  });

  it('uat: rings released before their booking ends, and the Adult ladder still in the water on asOf', () => {
    const schedule = planSchedule('uat');
    const atSea = schedule.batches.filter((b) => b.sea !== null);
    const run = runBatches(schedule, atSea);
    expect(outsideBookings(schedule, run.stays)).toEqual([]);
    expect(overlaps(run.stays)).toEqual([]);
    for (const b of atSea) expect(`${b.batchNumber} ${run.status.get(b.batchNumber)}`).toBe(`${b.batchNumber} ${b.batchNumber.includes('-UAT-') ? 'ACTIVE' : 'COMPLETED'}`);
  });
});
