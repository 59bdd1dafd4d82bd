/**
 * The existing-schema target from a generated source: the farm's master data is staged (the
 * shared rows must be merged by natural key), the replacement transaction opens, and the batches
 * are generated inside it: the rows of DIRECT_TABLES are COPYed straight into the database's
 * tables on the transaction's connection, the workers' rows included; the rest stream into
 * staging and are copied in with the master data. Tables the master data fills below
 * REBUILD_ROWS keep their indexes; every other one is rebuilt (its size is known only once generated).
 */
import { exportTables } from '../../cache/logical.js';
import { addCounts, CopyLoader } from '../../db/copy-loader.js';
import { type ExistingLayout } from '../../db/existing-schema.js';
import { analyzeReplaced, beginReplacement, commitReplacement, copyStaged, DIRECT_TABLES, farmNumberedSelect, REBUILD_ROWS } from '../../db/existing-replacement.js';
import { SplitLoader } from '../../db/split-loader.js';
import { createStaging } from '../../db/staging.js';
import { buildFarm, emitFarmRows } from '../../farm/index.js';
import { ident } from '../../schema/identifiers.js';
import type { TableName } from '../../schema/tables/index.js';
import type { SeedSession } from './session.js';
import type { SeedResult } from '../seed-result.js';
import { farmEstablishedOn, generateBatches, type BuiltFarm } from './generate-batches.js';
import { throwIfAborted } from './seed-errors.js';
import { farmMarker, heldCounts, sortedCounts, sum } from './seed-record.js';

export async function generateIntoExisting(session: SeedSession, layout: ExistingLayout): Promise<SeedResult> {
  const { options, client, staging, schema, connections, started } = session;
  await createStaging(client, staging, { unlogged: true });
  const farm = buildFarm({ seed: options.schedule.seed, establishedOn: farmEstablishedOn(options.schedule), adminPassword: options.schedule.adminPassword });
  const masterCounts = await stageMasterData(session, farm);
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
    await replacement.transaction.rollback();
    throw error;
  });
  const loader = new SplitLoader(direct, staged, directTables, replacement.remap);
  try {
    const batches = await generateBatches(options, farm, loader, async () => ({
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
    await replacement.transaction.rollback();
    throw staged.explain(direct.explain(error));
  }
  mark = performance.now();
  const generateLoad = (mark - started) / 1000 - begin;
  await copyStaged(client, staging, schema, replacement);
  // `publish` is the time on the transaction outside generation: opening it and the copy-in.
  const publish = begin + (performance.now() - mark) / 1000;
  const held = heldCounts(counts, layout);
  options.onProgress?.({ phase: 'indexes' });
  const indexes = await commitReplacement(client, schema, replacement, farmMarker(options.key, options.schedule, held.rowCounts));
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
    previous: session.previous,
    reused: false,
  };
}

/** The farm's master data into staging, on connections of its own, before the transaction opens. */
async function stageMasterData(session: SeedSession, farm: BuiltFarm): Promise<Map<TableName, number>> {
  const master = new CopyLoader({ connectionString: session.options.url, schema: session.staging, connections: session.connections });
  try {
    await master.open();
    emitFarmRows(farm, master);
    return await master.finish();
  } catch (error) {
    await master.abort();
    throw master.explain(error);
  }
}
