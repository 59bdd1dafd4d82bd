/**
 * The generating source: the schedule's batches simulated day by day into a row loader on the main
 * thread, or on worker threads that hand it their encoded COPY chunks.
 */
import type { RowLoader } from '../../db/copy-loader.js';
import { simulateBatch } from '../../engine/batch.js';
import { addDays } from '../../core/time.js';
import type { buildFarm } from '../../farm/index.js';
import { generateInParallel, type ParallelGenerateOptions } from '../../pool/generate.js';
import type { RowSink } from '../../rows/sink.js';
import type { TableName } from '../../schema/tables/index.js';
import type { Schedule } from '../../schedule/types.js';
import type { ProgressListener } from '../progress.js';
import { throwIfAborted } from './seed-errors.js';

/** The farm's infrastructure and master data, in memory, as the engine reads it. */
export type BuiltFarm = ReturnType<typeof buildFarm>;

export interface GenerateOptions {
  schedule: Schedule;
  /** Worker threads (default 1: the main thread). */
  workers?: number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** Master data is stamped 30 days before the first batch starts (simulated time). */
export function farmEstablishedOn(schedule: Schedule): string {
  const firstStart = schedule.batches.reduce((min, b) => (b.startDate < min ? b.startDate : min), schedule.asOf);
  return addDays(firstStart, -30);
}

/**
 * Simulates the schedule's batches into `loader` (the main thread's) or, with workers, into
 * `parallel()`'s output; returns the rows per table the workers generated (the main thread's
 * loader counts its own).
 */
export async function generateBatches(
  options: GenerateOptions,
  farm: BuiltFarm,
  loader: RowLoader,
  parallel: () => Promise<{ output: ParallelGenerateOptions['output']; failed: AbortSignal }>,
): Promise<Map<TableName, number>> {
  const { schedule, onProgress, signal } = options;
  const workers = Math.max(1, Math.min(options.workers ?? 1, schedule.batches.length));
  const total = schedule.batches.length;
  onProgress?.({ phase: 'generate', batchesDone: 0, batches: total });
  if (workers > 1) {
    // A COPY that fails on the main thread stops the workers too, and is the error to report.
    const { output, failed } = await parallel();
    const generated = await generateInParallel({
      output,
      schedule,
      establishedOn: farmEstablishedOn(schedule),
      workers,
      signal: signal ? AbortSignal.any([signal, failed]) : failed,
      onBatchesDone: (done) => onProgress?.({ phase: 'generate', batchesDone: done, batches: total }),
    }).catch((error: unknown) => {
      throw failed.aborted ? failed.reason : error;
    });
    throwIfAborted(signal);
    return generated as Map<TableName, number>;
  }
  // Counted for the progress display only (rows/s); the loader keeps the authoritative counts.
  let rows = 0;
  const sink: RowSink = onProgress
    ? {
        emit(table, row) {
          rows += 1;
          loader.emit(table, row);
        },
      }
    : loader;
  let reported = performance.now();
  for (const plan of schedule.batches) {
    const run = simulateBatch({ farm, schedule, plan }, sink);
    for (let step = run.next(); !step.done; step = run.next()) {
      // The engine is synchronous: give the COPY connections the event loop so PostgreSQL parses
      // one day's rows on the other core while the next day is generated.
      if (loader.needsDrain()) await loader.drain();
      else if (loader.hasQueuedWork()) await new Promise((resolve) => setImmediate(resolve));
      throwIfAborted(signal);
      // A batch takes seconds: report rows within it, a few times a second.
      if (onProgress && performance.now() - reported > 250) {
        reported = performance.now();
        onProgress({ phase: 'generate', batchesDone: plan.index, batches: total, rows });
      }
    }
    onProgress?.({ phase: 'generate', batchesDone: plan.index + 1, batches: total, rows });
  }
  return new Map();
}
