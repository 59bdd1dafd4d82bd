/** Runs one batch of a schedule to completion into a MemorySink, for the engine's tests. */
import { simulateBatch, type BatchOutcome } from '../../src/engine/batch.js';
import { MemorySink } from '../../src/rows/sink.js';
import type { FarmModel } from '../../src/core/model.js';
import type { Schedule } from '../../src/schedule/types.js';

export interface EngineRun {
  sink: MemorySink;
  outcome: BatchOutcome;
  /** How many times the generator yielded (one per simulated day). */
  yields: number;
}

export function runBatch(farm: FarmModel, schedule: Schedule, index = 0): EngineRun {
  const plan = schedule.batches[index];
  if (!plan) throw new Error(`the schedule has no batch ${index}`);
  const sink = new MemorySink();
  const run = simulateBatch({ farm, schedule, plan }, sink);
  let yields = 0;
  for (let step = run.next(); ; step = run.next()) {
    if (step.done) return { sink, outcome: step.value, yields };
    yields++;
  }
}
