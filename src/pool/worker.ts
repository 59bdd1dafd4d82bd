/**
 * A tinypool worker: simulates its share of the schedule's batches. Normally it streams their rows
 * with COPY on its own connections, and only row counts travel back to the main thread. In
 * existing-schema mode the rows must go in inside the main thread's one transaction: the worker
 * then hands its encoded COPY chunks over a MessagePort (src/pool/chunk-port.ts).
 */
import type { MessagePort } from 'node:worker_threads';
import { CopyLoader, type RowLoader } from '../db/copy-loader.js';
import { remapRows, type Remap } from '../db/existing-shared-rows.js';
import { buildFarm } from '../farm/index.js';
import { simulateBatch } from '../engine/batch.js';
import type { Schedule } from '../schedule/types.js';
import { ChunkPortSink } from './chunk-port.js';

/** Where a worker's rows go: COPY on its own connections, or chunks to the main thread. */
export type WorkerOutput = { url: string; schema: string; connections: number } | { port: MessagePort };

export interface GenerateTask {
  output: WorkerOutput;
  schedule: Schedule;
  establishedOn: string;
  /** Indexes into schedule.batches this worker simulates. */
  batches: number[];
  /** The database's ids for the farm's users and content types (existing-schema mode). */
  remap?: Remap;
}

export interface GenerateResult {
  rowCounts: Record<string, number>;
}

export default async function generateBatches(task: GenerateTask): Promise<GenerateResult> {
  const farm = buildFarm({ seed: task.schedule.seed, establishedOn: task.establishedOn });
  const { output } = task;
  let loader: RowLoader;
  if ('port' in output) {
    loader = new ChunkPortSink(output.port);
  } else {
    const copy = new CopyLoader({ connectionString: output.url, schema: output.schema, connections: output.connections });
    await copy.open();
    loader = copy;
  }
  const sink = task.remap ? remapRows(loader, task.remap) : loader;
  try {
    for (const index of task.batches) {
      const plan = task.schedule.batches[index];
      if (!plan) throw new RangeError(`no batch ${index} in the schedule`);
      const run = simulateBatch({ farm, schedule: task.schedule, plan }, sink);
      for (let step = run.next(); !step.done; step = run.next()) {
        if (loader.needsDrain()) await loader.drain();
        else if (loader.hasQueuedWork()) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const counts = await loader.finish();
    return { rowCounts: Object.fromEntries(counts) };
  } catch (error) {
    await loader.abort();
    throw error;
  }
}
