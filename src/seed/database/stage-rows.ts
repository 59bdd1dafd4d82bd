/**
 * The source half of a seed into staging: the farm's rows generated (master data, then the
 * batches) or restored from a logical snapshot's COPY files, into a fresh staging schema.
 */
import { addCounts, CopyLoader } from '../../db/copy-loader.js';
import { CopyFiles, type WrittenFile } from '../../db/copy-files.js';
import { buildWhileLoading, createStaging } from '../../db/staging.js';
import { TableGate } from '../../db/parallel.js';
import { importTables } from '../../cache/logical.js';
import { buildFarm, emitFarmRows } from '../../farm/index.js';
import type { TableName } from '../../schema/tables/index.js';
import type { SeedSession } from './session.js';
import { farmEstablishedOn, generateBatches } from './generate-batches.js';

export interface StagedRows {
  counts: Map<TableName, number>;
  /**
   * A restore into a created schema: each table's keys and indexes, built as its rows came in;
   * settles once the last is built (finalizeStaging then skips them).
   */
  built?: Promise<void>;
  /** With `writeEntryTo`: the COPY files written there while loading. */
  files?: WrittenFile[];
}

/** Fills the staging schema (unlogged for an existing-schema target) and returns its rows per table. */
export async function stageRows(session: SeedSession, staging: { unlogged: boolean }): Promise<StagedRows> {
  const { options, client, connections } = session;
  // Generation starts at once; the COPY connections wait for the staging tables.
  const tablesReady = createStaging(client, session.staging, staging);
  if (options.restoreFrom) {
    await tablesReady;
    options.onProgress?.({ phase: 'restore' });
    // An unlogged staging schema feeds an existing schema's own tables: it gets no indexes.
    return staging.unlogged ? { counts: await importInto(session) } : await importBuilding(session);
  }
  const entryDir = options.writeEntryTo;
  const files = entryDir === undefined ? undefined : new CopyFiles(entryDir, 'm');
  // A fresh staging schema: each table can load in one transaction (COPY FREEZE, no WAL at minimal).
  const loader = new CopyLoader({ connectionString: options.url, schema: session.staging, connections, ready: tablesReady, freeze: true, ...(files ? { files } : {}) });
  try {
    await loader.open();
    const farm = buildFarm({ seed: options.schedule.seed, establishedOn: farmEstablishedOn(options.schedule), adminPassword: options.schedule.adminPassword });
    emitFarmRows(farm, loader);
    const { failed } = loader;
    const workers = await generateBatches(options, farm, loader, async () => ({ output: { loader }, failed }));
    await tablesReady;
    const counts = addCounts(await loader.finish(), workers);
    if (!files) return { counts };
    return { counts, files: (await files.close()).sort((a, b) => (a.path < b.path ? -1 : 1)) };
  } catch (error) {
    await loader.abort();
    await files?.close().catch(() => {});
    // A full disk under the entry's files stays itself: the cache names the directory (publishWith).
    throw loader.explain(error);
  }
}

function importInto(session: SeedSession, onTableLoaded?: (table: TableName) => void): Promise<Map<TableName, number>> {
  const { dir, rowCounts, files } = session.options.restoreFrom!;
  return importTables(session.options.url, session.staging, dir, rowCounts, session.connections, { files, ...(onTableLoaded ? { onTableLoaded } : {}) });
}

/**
 * A restore whose tables get their keys and indexes while the others still load, as pg_restore
 * overlaps them; an interrupt or a failed load stops the builds not yet started.
 */
async function importBuilding(session: SeedSession): Promise<StagedRows> {
  const { options, staging, connections } = session;
  const gate = new TableGate();
  const rowCounts = new Map(Object.entries(options.restoreFrom!.rowCounts)) as Map<TableName, number>;
  const built = buildWhileLoading(options.url, staging, rowCounts, connections, gate);
  const stop = (): void => gate.fail(new Error('interrupted'));
  options.signal?.addEventListener('abort', stop, { once: true });
  const stopped = (): void => options.signal?.removeEventListener('abort', stop);
  // Awaited by the caller (publishCreated), or below when the load fails.
  built.then(stopped, stopped);
  try {
    const counts = await importInto(session, (table) => gate.opened(table));
    gate.openAll();
    return { counts, built };
  } catch (error) {
    gate.fail(error);
    await built.catch(() => {});
    throw error;
  }
}
