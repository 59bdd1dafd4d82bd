/**
 * The existing-schema target from a restored source: every row is staged; they replace the rows
 * of the tables aquaseed writes in the database's own (Django-migrated) tables.
 */
import { type ExistingLayout } from '../../db/existing-schema.js';
import { replaceFromStaging } from '../../db/existing-replacement.js';
import type { TableName } from '../../schema/tables/index.js';
import type { SeedSession } from './session.js';
import type { SeedResult } from '../seed-result.js';
import { farmMarker, heldCounts } from './seed-record.js';

export async function replaceExisting(
  session: SeedSession,
  layout: ExistingLayout,
  counts: ReadonlyMap<TableName, number>,
  generateLoad: number,
): Promise<SeedResult> {
  const { options, client, staging, schema, connections, started } = session;
  const held = heldCounts(counts, layout);
  options.onProgress?.({ phase: 'publish' });
  const marker = farmMarker(options.key, options.schedule, held.rowCounts);
  const replaced = await replaceFromStaging(client, options.url, staging, schema, marker, layout, connections);
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
    previous: session.previous,
    reused: false,
  };
}
