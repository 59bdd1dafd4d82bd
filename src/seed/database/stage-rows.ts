/**
 * The source half of a seed into staging: the farm's rows generated (master data, then the
 * batches) or restored from a logical snapshot's COPY files, into a fresh staging schema.
 */
import { addCounts, CopyLoader } from '../../db/copy-loader.js';
import { createStaging } from '../../db/staging.js';
import { importTables } from '../../cache/logical.js';
import { buildFarm, emitFarmRows } from '../../farm/index.js';
import type { TableName } from '../../schema/tables/index.js';
import type { SeedSession } from './session.js';
import { farmEstablishedOn, generateBatches } from './generate-batches.js';

/** Fills the staging schema (unlogged for an existing-schema target) and returns its rows per table. */
export async function stageRows(session: SeedSession, staging: { unlogged: boolean }): Promise<Map<TableName, number>> {
  const { options, client, connections } = session;
  // Generation starts at once; the COPY connections wait for the staging tables.
  const tablesReady = createStaging(client, session.staging, staging);
  if (options.restoreFrom) {
    await tablesReady;
    options.onProgress?.({ phase: 'restore' });
    const { dir, rowCounts, files } = options.restoreFrom;
    return importTables(options.url, session.staging, dir, rowCounts, connections, files);
  }
  const loader = new CopyLoader({ connectionString: options.url, schema: session.staging, connections, ready: tablesReady });
  try {
    await loader.open();
    const farm = buildFarm({ seed: options.schedule.seed, establishedOn: farmEstablishedOn(options.schedule), adminPassword: options.schedule.adminPassword });
    emitFarmRows(farm, loader);
    const { failed } = loader;
    const counts = await generateBatches(options, farm, loader, async () => {
      await tablesReady;
      return { output: { url: options.url, schema: session.staging, connections: 2 }, failed };
    });
    await tablesReady;
    return addCounts(await loader.finish(), counts);
  } catch (error) {
    await loader.abort();
    throw loader.explain(error);
  }
}
