/**
 * A tinypool worker: simulates its share of the schedule's batches and streams their rows with
 * COPY on its own connections. Only row counts travel back to the main thread: the rows never
 * cross threads, so the main thread just coordinates.
 */
import { CopyLoader } from '../db/copy-loader.js';
import { buildFarm } from '../farm/index.js';
import { simulateBatch } from '../engine/batch.js';
import type { Schedule } from '../schedule/types.js';

export interface GenerateTask {
  url: string;
  schema: string;
  schedule: Schedule;
  establishedOn: string;
  /** Indexes into schedule.batches this worker simulates. */
  batches: number[];
  connections: number;
}

export interface GenerateResult {
  rowCounts: Record<string, number>;
}

export default async function generateBatches(task: GenerateTask): Promise<GenerateResult> {
  const farm = buildFarm({ seed: task.schedule.seed, establishedOn: task.establishedOn });
  const loader = new CopyLoader({ connectionString: task.url, schema: task.schema, connections: task.connections });
  await loader.open();
  try {
    for (const index of task.batches) {
      const plan = task.schedule.batches[index];
      if (!plan) throw new RangeError(`no batch ${index} in the schedule`);
      const run = simulateBatch({ farm, schedule: task.schedule, plan }, loader);
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
