/**
 * The created-schema target: the staged tables get their keys, foreign keys and indexes, then
 * replace the schema's farm in one transaction, marked with the farm's key.
 */
import { finalizeStaging, publishStaging } from '../../db/staging.js';
import type { TableName } from '../../schema/tables/index.js';
import type { SeedSession } from './session.js';
import type { SeedResult } from '../seed-result.js';
import { throwIfAborted } from './seed-errors.js';
import { farmMarker, sortedCounts, sum } from './seed-record.js';

/** `built`: the staged tables' keys and indexes being built as they loaded (a restore); awaited first. */
export async function publishCreated(session: SeedSession, counts: Map<TableName, number>, generateLoad: number, built?: Promise<void>): Promise<SeedResult> {
  const { options, client, staging, schema, connections, started } = session;
  const rowCounts = sortedCounts(counts);
  const totalRows = sum(counts);
  const marker = farmMarker(options.key, options.schedule, rowCounts);
  options.onProgress?.({ phase: 'keys' });
  const mark = performance.now();
  await built;
  // The builds that outlasted the load count as the index phase's.
  const buildsAfterLoad = (performance.now() - mark) / 1000;
  const finalize = await finalizeStaging(options.url, staging, counts, connections, { built: built !== undefined });
  finalize.indexes += buildsAfterLoad;
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
    previous: session.previous,
    reused: false,
  };
}
