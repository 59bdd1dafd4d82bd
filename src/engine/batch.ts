/**
 * The deterministic day-by-day simulation of one batch: a pure function of (farm, schedule, plan)
 * that emits rows to a sink. No I/O, no wall clock, no Math.random.
 */
import type { Farm } from '../farm/model.js';
import type { BatchPlan, Schedule } from '../schedule/types.js';
import type { RowSink } from './sink.js';

export interface BatchInput {
  farm: Farm;
  schedule: Schedule;
  plan: BatchPlan;
}

export interface BatchOutcome {
  batchId: number;
  batchNumber: string;
  status: 'ACTIVE' | 'COMPLETED';
  /** Days simulated (the harvest day or asOf ends the run). */
  days: number;
  eggs: number;
  /** Fish alive on the last simulated day (0 once harvested). */
  population: number;
  harvestedFish: number;
  harvestedKg: number;
  feedKg: number;
}

/**
 * Simulates one batch, emitting its rows. Yields after each simulated day so the caller can wait
 * for the COPY streams to drain (backpressure); returns the outcome.
 */
export function* simulateBatch(input: BatchInput, sink: RowSink): Generator<void, BatchOutcome> {
  void input;
  void sink;
  throw new Error('simulateBatch: not implemented yet');
}
