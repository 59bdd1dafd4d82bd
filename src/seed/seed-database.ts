/**
 * One seed into one database: lock, check, stage, generate and COPY, index, analyze, publish.
 * A failure or interrupt at any point drops the staging schema: the target keeps what it had.
 */
import pg from 'pg';
import { AquaseedError } from '../errors.js';
import { CopyLoader } from '../db/copy-loader.js';
import { inspectAquaMindDatabase, inspectDatabase, type DatabaseState } from '../db/guard.js';
import { checkExistingSchema, replaceFromStaging } from '../db/existing-schema.js';
import { createStaging, dropAbandonedStaging, finalizeStaging, publishStaging, stagingSchemaName } from '../db/staging.js';
import { SCHEMA_VERSION } from '../db/version.js';
import type { TableName } from '../db/tables/index.js';
import { ident } from '../db/identifiers.js';
import { buildFarm, emitFarmRows } from '../farm/index.js';
import { generateInParallel } from '../pool/generate.js';
import { importTables } from '../cache/logical.js';
import { simulateBatch } from '../engine/batch.js';
import type { RowSink } from '../engine/sink.js';
import { ENGINE_VERSION } from '../engine/version.js';
import { addDays } from '../engine/time.js';
import type { Schedule } from '../schedule/types.js';
import { packageVersion } from '../package-root.js';
import type { ProgressListener } from './progress.js';

export interface SeedDatabaseOptions {
  url: string;
  /** For messages: the database's name. */
  database: string;
  schedule: Schedule;
  key: string;
  /** Schema the farm is published into. */
  schema?: string;
  /** Parallel connections for COPY and index builds. */
  connections?: number;
  /**
   * Worker threads generating batches (default 1: the main thread). Each worker streams its own
   * COPY connections; the database content is the same for any number.
   */
  workers?: number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /**
   * Load the rows from a logical snapshot (binary COPY files, one per table) instead of generating
   * them; keys, indexes and the publish run as for a fresh seed.
   */
  restoreFrom?: { dir: string; rowCounts: Readonly<Record<string, number>> };
  /**
   * The database already holds AquaMind's schema (Django-migrated): check it, then replace only the
   * rows of the tables aquaseed writes, keeping the database's own tables, constraints, indexes
   * and sequences (src/db/existing-schema.ts). `schema` must name the schema Django migrated.
   */
  existingSchema?: boolean;
  /**
   * Called once the farm's rows are all in the staging schema (named by the argument), before they
   * are published: the logical cache exports them from there, in the generator's own numbering.
   */
  onStaged?: (staged: { schema: string; rowCounts: Record<string, number>; totalRows: number }) => Promise<void>;
}

export interface SeedTimings {
  generateLoad: number;
  keys: number;
  indexes: number;
  analyze: number;
  publish: number;
  total: number;
  /** Writing the snapshot cache entry (stop, copy, restart), when one was written. */
  snapshot?: number;
}

export interface SeedResult {
  rowCounts: Record<string, number>;
  totalRows: number;
  timings: SeedTimings;
  previous: DatabaseState;
  /** True when an already-seeded database was served instead of seeding (`reuse`). */
  reused: boolean;
  /** True when the farm was restored from the snapshot cache instead of generated. */
  restored?: boolean;
}

/** Advisory-lock id for "seeding this database" (an arbitrary constant: 'aquaseed' in ASCII). */
const SEED_LOCK = 0x617175617365;

export async function seedDatabase(options: SeedDatabaseOptions): Promise<SeedResult> {
  const schema = options.schema ?? 'public';
  const connections = options.connections ?? 3;
  const started = performance.now();
  const client = new pg.Client({ connectionString: options.url });
  client.on('error', () => {});
  await client.connect();
  const staging = stagingSchemaName();
  let loader: CopyLoader | null = null;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SEED_LOCK]);
    const previous = options.existingSchema
      ? await inspectAquaMindDatabase(client, schema, options.database)
      : await inspectDatabase(client, schema, options.database);
    if (options.existingSchema) await checkExistingSchema(client, schema, options.database);
    await dropAbandonedStaging(client);
    options.onProgress?.({ phase: 'prepare' });
    // Generation starts at once; the COPY connections wait for the staging tables.
    const tablesReady = createStaging(client, staging, { unlogged: options.existingSchema === true });
    let counts: Map<TableName, number>;
    if (options.restoreFrom) {
      await tablesReady;
      options.onProgress?.({ phase: 'restore' });
      counts = await importTables(options.url, staging, options.restoreFrom.dir, options.restoreFrom.rowCounts, connections);
    } else {
      loader = new CopyLoader({ connectionString: options.url, schema: staging, connections, ready: tablesReady });
      await loader.open();
      counts = await generate(options, loader, tablesReady, staging);
      loader = null;
    }
    const generateLoad = (performance.now() - started) / 1000;
    throwIfAborted(options.signal);
    const rowCounts = Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
    const totalRows = [...counts.values()].reduce((a, b) => a + b, 0);
    // The cache export runs inside the seed but is timed apart, as `snapshot`, like after a fresh seed.
    const stagedStart = performance.now();
    await options.onStaged?.({ schema: staging, rowCounts, totalRows });
    const stagedSeconds = (performance.now() - stagedStart) / 1000;
    throwIfAborted(options.signal);
    const marker = {
      key: options.key,
      preset: options.schedule.preset,
      packageVersion: packageVersion(),
      engineVersion: ENGINE_VERSION,
      schemaVersion: SCHEMA_VERSION,
      schedule: options.schedule,
      rowCounts,
    };

    if (options.existingSchema) {
      // Keys and indexes are the database's own, rebuilt once in place: the staging tables stay bare.
      options.onProgress?.({ phase: 'publish' });
      const replaced = await replaceFromStaging(client, options.url, staging, schema, marker, connections);
      options.onProgress?.({ phase: 'done' });
      return {
        rowCounts,
        totalRows,
        timings: {
          generateLoad,
          keys: 0,
          indexes: replaced.indexes,
          analyze: replaced.analyze,
          publish: replaced.copy,
          total: (performance.now() - started) / 1000 - stagedSeconds,
        },
        previous,
        reused: false,
      };
    }

    options.onProgress?.({ phase: 'keys' });
    const finalize = await finalizeStaging(options.url, staging, counts, connections);
    throwIfAborted(options.signal);

    options.onProgress?.({ phase: 'publish' });
    const publishStart = performance.now();
    await publishStaging(client, staging, schema, marker);
    const publish = (performance.now() - publishStart) / 1000;
    options.onProgress?.({ phase: 'done' });
    return {
      rowCounts,
      totalRows,
      timings: { generateLoad, ...finalize, publish, total: (performance.now() - started) / 1000 },
      previous,
      reused: false,
    };
  } catch (error) {
    await loader?.abort();
    await client.query(`DROP SCHEMA IF EXISTS ${ident(staging)} CASCADE`).catch(() => {});
    throw wrapLoadError(loader ? loader.explain(error) : error, options.database);
  } finally {
    await client.end().catch(() => {});
  }
}

async function generate(
  options: SeedDatabaseOptions,
  loader: CopyLoader,
  tablesReady: Promise<unknown>,
  staging: string,
): Promise<Map<TableName, number>> {
  const { schedule, onProgress, signal } = options;
  const workers = Math.max(1, Math.min(options.workers ?? 1, schedule.batches.length));
  const establishedOn = farmEstablishedOn(schedule);
  const farm = buildFarm({ seed: schedule.seed, establishedOn });
  emitFarmRows(farm, loader);
  const total = schedule.batches.length;
  onProgress?.({ phase: 'generate', batchesDone: 0, batches: total });
  if (workers > 1) {
    await tablesReady;
    const [own, generated] = await Promise.all([
      loader.finish(),
      generateInParallel({
        url: options.url,
        schema: staging,
        schedule,
        establishedOn,
        workers,
        connectionsPerWorker: 2,
        ...(signal ? { signal } : {}),
        onBatchesDone: (done) => onProgress?.({ phase: 'generate', batchesDone: done, batches: total }),
      }),
    ]);
    throwIfAborted(signal);
    for (const [table, count] of generated) own.set(table as TableName, (own.get(table as TableName) ?? 0) + count);
    return own;
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
  await tablesReady;
  return loader.finish();
}

/** Master data is stamped 30 days before the first batch starts (simulated time). */
function farmEstablishedOn(schedule: Schedule): string {
  const firstStart = schedule.batches.reduce((min, b) => (b.startDate < min ? b.startDate : min), schedule.asOf);
  return addDays(firstStart, -30);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AquaseedError('AQUASEED_INTERRUPTED', 'the seed was interrupted; nothing was published', 'run it again');
  }
}

function wrapLoadError(error: unknown, database: string): unknown {
  if (error instanceof AquaseedError) return error;
  return new AquaseedError(
    'AQUASEED_LOAD_FAILED',
    `seeding database "${database}" failed: ${(error as Error).message}; nothing was published`,
    'run again with --debug for the full error; if it persists, report it with that output',
    { cause: error },
  );
}

export type { TableName };
