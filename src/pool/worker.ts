/**
 * A tinypool worker: simulates its share of the schedule's batches and hands their encoded COPY
 * chunks over a MessagePort to the main thread's loader (src/pool/chunk-port.ts), whose
 * connections hold each table in one transaction (COPY FREEZE), or in existing-schema mode the
 * one transaction the rows must land in; only row counts travel back.
 */
import type { MessagePort } from 'node:worker_threads';
import { CopyLoader, type RowLoader } from '../db/copy-loader.js';
import type { Remap } from '../db/existing-shared-rows.js';
import { SplitLoader } from '../db/split-loader.js';
import type { TableName } from '../schema/tables/index.js';
import { buildFarm } from '../farm/index.js';
import { simulateBatch } from '../engine/batch.js';
import type { Schedule } from '../schedule/types.js';
import { ChunkPortSink } from './chunk-port.js';

/** COPY on `connections` connections of the worker's own into `schema`. */
export interface CopyOutput {
  url: string;
  schema: string;
  connections: number;
}

/**
 * Where a worker's rows go: every row as chunks to the main thread, or (existing-schema mode) the
 * rows of `directTables` so, in the database's numbering of users and content types (`remap`),
 * and the others with COPY on the worker's own connections into the staging schema.
 */
export type WorkerOutput = { port: MessagePort } | { port: MessagePort; directTables: TableName[]; remap: Remap; staged: CopyOutput };

export interface GenerateTask {
  output: WorkerOutput;
  schedule: Schedule;
  establishedOn: string;
  /** Indexes into schedule.batches this worker simulates. */
  batches: number[];
}

export interface GenerateResult {
  rowCounts: Record<string, number>;
}

export default async function generateBatches(task: GenerateTask): Promise<GenerateResult> {
  const farm = buildFarm({ seed: task.schedule.seed, establishedOn: task.establishedOn });
  const { output } = task;
  const openCopy = async (to: CopyOutput): Promise<CopyLoader> => {
    const copy = new CopyLoader({ connectionString: to.url, schema: to.schema, connections: to.connections });
    await copy.open();
    return copy;
  };
  const loader: RowLoader =
    'staged' in output
      ? new SplitLoader(new ChunkPortSink(output.port), await openCopy(output.staged), new Set(output.directTables), output.remap)
      : new ChunkPortSink(output.port);
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
