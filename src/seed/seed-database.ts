/**
 * One seed into one database: lock, check, stage, generate and COPY, index, analyze, publish.
 * A failure or interrupt at any point drops the staging schema: the target keeps what it had.
 */
import pg from 'pg';
import { AquaseedError } from '../core/errors.js';
import { addCounts, CopyLoader, type RowLoader } from '../db/copy-loader.js';
import { inspectAquaMindDatabase, inspectDatabase, type DatabaseState } from '../db/guard.js';
import { checkExistingSchema, describeAbsentApps, type ExistingLayout } from '../db/existing-schema.js';
import {
  analyzeReplaced,
  beginReplacement,
  commitReplacement,
  copyStaged,
  DIRECT_TABLES,
  farmNumberedSelect,
  REBUILD_ROWS,
  replaceFromStaging,
} from '../db/existing-replacement.js';
import { SplitLoader } from '../db/split-loader.js';
import { createStaging, dropAbandonedStaging, finalizeStaging, publishStaging, stagingSchemaName } from '../db/staging.js';
import type { FarmMarker } from '../db/marker.js';
import { SCHEMA_VERSION } from '../schema/version.js';
import type { TableName } from '../schema/tables/index.js';
import { ident } from '../schema/identifiers.js';
import { buildFarm, emitFarmRows, type FarmModel } from '../farm/index.js';
import { generateInParallel, type ParallelGenerateOptions } from '../pool/generate.js';
import { exportTables, importTables } from '../cache/logical.js';
import { simulateBatch } from '../engine/batch.js';
import type { RowSink } from '../rows/sink.js';
import { ENGINE_VERSION } from '../engine/version.js';
import { addDays } from '../core/time.js';
import type { Schedule } from '../schedule/types.js';
import { packageVersion } from '../host/package-root.js';
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
  /** Receives one line for each thing the user should know that is no error (a left-out app, say). */
  onNotice?: (message: string) => void;
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
   * Existing-schema mode: called once a generated farm is committed, with `exportTo`, which writes
   * its rows in the generator's own numbering (users and content types as a created-schema seed
   * numbers them) as a logical cache entry. Its time is not part of the seed's.
   */
  onLoaded?: (loaded: { rowCounts: Record<string, number>; totalRows: number; exportTo: (dir: string) => Promise<void> }) => Promise<void>;
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
    const layout = options.existingSchema ? await checkExistingSchema(client, schema, options.database) : null;
    const notice = layout && describeAbsentApps(layout, options.database);
    if (notice) options.onNotice?.(notice);
    await dropAbandonedStaging(client);
    options.onProgress?.({ phase: 'prepare' });
    if (layout && !options.restoreFrom) {
      return await seedExisting(options, client, staging, schema, layout, connections, started, previous);
    }
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
      const farm = buildFarm({ seed: options.schedule.seed, establishedOn: farmEstablishedOn(options.schedule) });
      emitFarmRows(farm, loader);
      const { failed } = loader;
      counts = await generate(options, farm, loader, async () => {
        await tablesReady;
        return { output: { url: options.url, schema: staging, connections: 2 }, failed };
      });
      await tablesReady;
      counts = addCounts(await loader.finish(), counts);
      loader = null;
    }
    const generateLoad = (performance.now() - started) / 1000;
    throwIfAborted(options.signal);
    if (layout) {
      // A restored farm: the rows are all staged; they move into the database's own tables.
      const held = heldCounts(counts, layout);
      options.onProgress?.({ phase: 'publish' });
      const replaced = await replaceFromStaging(client, options.url, staging, schema, farmMarker(options, held.rowCounts), layout, connections);
      options.onProgress?.({ phase: 'done' });
      return {
        ...held,
        timings: {
          generateLoad,
          keys: 0,
          indexes: replaced.indexes,
          analyze: replaced.analyze,
          publish: replaced.copy,
          total: (performance.now() - started) / 1000,
        },
        previous,
        reused: false,
      };
    }

    const rowCounts = sortedCounts(counts);
    const totalRows = sum(counts);
    const marker = farmMarker(options, rowCounts);
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
    await dropStaging(client, options.url, staging);
    throw wrapLoadError(loader ? loader.explain(error) : error, options.database);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Existing-schema mode, generated: the farm's master data is staged (the shared rows must be
 * merged by natural key), the replacement transaction opens, and the batches are generated inside
 * it: the rows of DIRECT_TABLES are COPYed straight into the database's tables on the
 * transaction's connection, the workers' rows included; the rest stream into staging and are
 * copied in with the master data. Tables the master data fills below REBUILD_ROWS keep their
 * indexes; every other one is rebuilt (its size is known only once generated).
 */
async function seedExisting(
  options: SeedDatabaseOptions,
  client: pg.Client,
  staging: string,
  schema: string,
  layout: ExistingLayout,
  connections: number,
  started: number,
  previous: DatabaseState,
): Promise<SeedResult> {
  await createStaging(client, staging, { unlogged: true });
  const farm = buildFarm({ seed: options.schedule.seed, establishedOn: farmEstablishedOn(options.schedule) });
  const master = new CopyLoader({ connectionString: options.url, schema: staging, connections });
  const masterCounts = await (async () => {
    await master.open();
    emitFarmRows(farm, master);
    return master.finish();
  })().catch(async (error: unknown) => {
    await master.abort();
    throw master.explain(error);
  });
  throwIfAborted(options.signal);

  let mark = performance.now();
  const masterRows = (table: string): number => masterCounts.get(table as TableName) ?? 0;
  const replacement = await beginReplacement(client, staging, schema, layout, (table) => masterRows(table) === 0 || masterRows(table) >= REBUILD_ROWS);
  // A table the database lacks is staged like the small ones: the cache export reads it there.
  const directTables = new Set([...DIRECT_TABLES].filter((table) => !layout.absent.has(table)));
  const begin = (performance.now() - mark) / 1000;
  let counts: Map<TableName, number>;
  const direct = new CopyLoader({ connectionString: options.url, schema, client });
  const staged = new CopyLoader({ connectionString: options.url, schema: staging, connections: 1 });
  await direct.open();
  await staged.open().catch(async (error: unknown) => {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  });
  const loader = new SplitLoader(direct, staged, directTables, replacement.remap);
  try {
    const batches = await generate(options, farm, loader, async () => ({
      output: {
        loader: direct,
        directTables: [...directTables],
        remap: replacement.remap,
        staged: { url: options.url, schema: staging, connections: 1 },
      },
      failed: direct.failed,
    }));
    counts = addCounts(addCounts(masterCounts, await loader.finish()), batches);
    throwIfAborted(options.signal);
  } catch (error) {
    // The loader first finishes the chunk it is sending on the transaction's connection.
    await loader.abort();
    await client.query('ROLLBACK').catch(() => {});
    throw staged.explain(direct.explain(error));
  }
  mark = performance.now();
  const generateLoad = (mark - started) / 1000 - begin;
  await copyStaged(client, staging, schema, replacement);
  // `publish` is the time on the transaction outside generation: opening it and the copy-in.
  const publish = begin + (performance.now() - mark) / 1000;
  const held = heldCounts(counts, layout);
  options.onProgress?.({ phase: 'indexes' });
  const indexes = await commitReplacement(client, schema, replacement, farmMarker(options, held.rowCounts));
  options.onProgress?.({ phase: 'analyze' });
  mark = performance.now();
  await analyzeReplaced(options.url, schema, held.rowCounts, layout, connections);
  const analyze = (performance.now() - mark) / 1000;
  options.onProgress?.({ phase: 'done' });
  const total = (performance.now() - started) / 1000;
  // The cache export reads the committed farm (the shared rows from the staging schema); it is
  // timed apart, like after a fresh seed.
  await options.onLoaded?.({
    rowCounts: sortedCounts(counts),
    totalRows: sum(counts),
    exportTo: (dir) => exportTables(options.url, schema, dir, farmNumberedSelect(staging, schema, replacement)),
  });
  await client.query(`DROP SCHEMA ${ident(staging)} CASCADE`);
  return {
    ...held,
    timings: { generateLoad, keys: 0, indexes, analyze, publish, total },
    previous,
    reused: false,
  };
}

/**
 * Simulates the schedule's batches into `loader` (the main thread's) or, with workers, into
 * `parallelOutput()`; returns the rows the workers loaded (the loader counts its own).
 */
async function generate(
  options: SeedDatabaseOptions,
  farm: FarmModel,
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

/** The counts of the tables the database holds: a seed's result and marker say what it wrote there. */
function heldCounts(counts: ReadonlyMap<TableName, number>, layout: ExistingLayout): { rowCounts: Record<string, number>; totalRows: number } {
  const held = new Map([...counts].filter(([table]) => !layout.absent.has(table)));
  return { rowCounts: sortedCounts(held), totalRows: sum(held) };
}

function sortedCounts(counts: ReadonlyMap<TableName, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

function sum(counts: ReadonlyMap<TableName, number>): number {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

function farmMarker(options: SeedDatabaseOptions, rowCounts: Record<string, number>): FarmMarker {
  return {
    key: options.key,
    preset: options.schedule.preset,
    packageVersion: packageVersion(),
    engineVersion: ENGINE_VERSION,
    schemaVersion: SCHEMA_VERSION,
    schedule: options.schedule,
    rowCounts,
  };
}

/**
 * Drops the staging schema after a failure; on a fresh connection when the seed's own has died
 * (PostgreSQL ended the session), so a failed seed leaves nothing behind.
 */
async function dropStaging(client: pg.Client, url: string, staging: string): Promise<void> {
  const sql = `DROP SCHEMA IF EXISTS ${ident(staging)} CASCADE`;
  const dropped = await client.query(sql).then(() => true, () => false);
  if (dropped) return;
  const fresh = new pg.Client({ connectionString: url });
  fresh.on('error', () => {});
  try {
    await fresh.connect();
    await fresh.query(sql);
  } catch {
    // The server itself is gone: the next seed drops the schema (dropAbandonedStaging).
  } finally {
    await fresh.end().catch(() => {});
  }
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
