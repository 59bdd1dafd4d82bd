/**
 * Runs the schedule's batches on `workers` tinypool worker threads. Batch i goes to worker
 * i mod n, which balances old (long) and young (short) batches; the database content does not
 * depend on the split, since every batch writes its own ID block.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { Tinypool } from 'tinypool';
import { AquaseedError } from '../core/errors.js';
import type { CopyLoader } from '../db/copy-loader.js';
import type { Remap } from '../db/existing-shared-rows.js';
import type { TableName } from '../schema/tables/index.js';
import { packageRoot } from '../host/package-root.js';
import type { Schedule } from '../schedule/types.js';
import { receiveChunks } from './chunk-port.js';
import type { CopyOutput, GenerateResult, GenerateTask, WorkerOutput } from './worker.js';

export interface ParallelGenerateOptions {
  /**
   * Each worker hands its chunks to `loader` (the main thread's); or (existing-schema mode) hands
   * those of `directTables`, remapped, to `loader` (whose connection holds the transaction the rows
   * must land in) and COPYs the rest into `staged`.
   */
  output: { loader: CopyLoader } | { loader: CopyLoader; directTables: readonly TableName[]; remap: Remap; staged: CopyOutput };
  schedule: Schedule;
  establishedOn: string;
  workers: number;
  signal?: AbortSignal;
  onBatchesDone?: (done: number) => void;
}

/** The compiled worker: tinypool loads JavaScript, so it always runs the built file. */
function workerFile(): string {
  const file = join(packageRoot(), 'dist', 'src', 'pool', 'worker.js');
  if (!existsSync(file)) {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `workers > 1 needs the compiled worker ${file}, which is missing`,
      'run `npm run build` in the aquaseed checkout, or use workers: 1',
    );
  }
  return file;
}

/** Rows per table the workers generated. */
export async function generateInParallel(options: ParallelGenerateOptions): Promise<Map<string, number>> {
  const { schedule, workers } = options;
  const shares: number[][] = Array.from({ length: workers }, () => []);
  schedule.batches.forEach((_, i) => shares[i % workers]?.push(i));
  const pool = new Tinypool({ filename: workerFile(), minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let done = 0;
  try {
    const results = await Promise.all(
      shares
        .filter((share) => share.length > 0)
        .map(async (batches) => {
          const { output } = options;
          const base = { schedule, establishedOn: options.establishedOn, batches };
          const channel = new MessageChannel();
          receiveChunks(channel.port1, output.loader);
          const port = channel.port2;
          const to: WorkerOutput = 'staged' in output ? { port, directTables: [...output.directTables], remap: output.remap, staged: output.staged } : { port };
          const task: GenerateTask = { ...base, output: to };
          let result: GenerateResult;
          try {
            result = (await pool.run(task, { signal: abort.signal, transferList: [port] })) as GenerateResult;
          } finally {
            channel.port1.close();
          }
          done += batches.length;
          options.onBatchesDone?.(done);
          return result;
        }),
    );
    const total = new Map<string, number>();
    for (const result of results) {
      for (const [table, count] of Object.entries(result.rowCounts)) total.set(table, (total.get(table) ?? 0) + count);
    }
    return total;
  } catch (error) {
    abort.abort();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
}
