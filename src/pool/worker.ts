/**
 * A tinypool worker: simulates its share of the schedule's batches. Normally it streams their rows
 * with COPY on its own connections, and only row counts travel back to the main thread. In
 * existing-schema mode the rows must go in inside the main thread's one transaction: the worker
 * then hands its encoded COPY chunks over a MessagePort (src/pool/chunk-port.ts).
 */
import type { MessagePort } from 'node:worker_threads';
import { CopyLoader, type RowLoader } from '../db/copy-loader.js';
import { CopyFiles, type WrittenFile } from '../db/copy-files.js';
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
  /** Also writes the rows to COPY text files in this directory as they load (a logical cache entry's). */
  filesDir?: string;
}

/**
 * Where a worker's rows go: COPY on its own connections, or (existing-schema mode) the rows of
 * `directTables` as chunks to the main thread, in the database's numbering of users and content
 * types (`remap`), and the others to the staging schema.
 */
export type WorkerOutput = CopyOutput | { port: MessagePort; directTables: TableName[]; remap: Remap; staged: CopyOutput };

export interface GenerateTask {
  output: WorkerOutput;
  schedule: Schedule;
  establishedOn: string;
  /** Indexes into schedule.batches this worker simulates. */
  batches: number[];
}

export interface GenerateResult {
  rowCounts: Record<string, number>;
  /** The files written into `filesDir`. */
  files: WrittenFile[];
}

export default async function generateBatches(task: GenerateTask): Promise<GenerateResult> {
  const farm = buildFarm({ seed: task.schedule.seed, establishedOn: task.establishedOn });
  const { output } = task;
  // Named after the worker's first batch: unique among the workers of one seed.
  const files = 'port' in output || !output.filesDir ? undefined : new CopyFiles(output.filesDir, `w${task.batches[0] ?? 0}`);
  const openCopy = async (to: CopyOutput): Promise<CopyLoader> => {
    const copy = new CopyLoader({ connectionString: to.url, schema: to.schema, connections: to.connections, ...(files && to === output ? { files } : {}) });
    await copy.open();
    return copy;
  };
  const loader: RowLoader =
    'port' in output
      ? new SplitLoader(new ChunkPortSink(output.port), await openCopy(output.staged), new Set(output.directTables), output.remap)
      : await openCopy(output);
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
    return { rowCounts: Object.fromEntries(counts), files: (await files?.close()) ?? [] };
  } catch (error) {
    await loader.abort();
    await files?.close().catch(() => {});
    throw error;
  }
}
