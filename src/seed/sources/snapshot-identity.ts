/** What a snapshot cache entry records about the farm it holds (both kinds: physical and logical). */
import type { SnapshotIdentity } from '../../cache/snapshot-store.js';
import { ENGINE_VERSION } from '../../engine/version.js';
import { packageVersion } from '../../host/package-root.js';
import { SCHEMA_VERSION } from '../../schema/version.js';
import type { Schedule } from '../../schedule/types.js';
import type { SeedResult } from '../seed-result.js';

export function snapshotIdentity(
  key: string,
  pgMajor: number,
  schedule: Schedule,
  database: string,
  result: Pick<SeedResult, 'rowCounts' | 'totalRows'>,
): SnapshotIdentity {
  return {
    key,
    pgMajor,
    preset: schedule.preset,
    database,
    packageVersion: packageVersion(),
    engineVersion: ENGINE_VERSION,
    schemaVersion: SCHEMA_VERSION,
    rowCounts: result.rowCounts,
    totalRows: result.totalRows,
  };
}
