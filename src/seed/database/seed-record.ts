/** What a seed records of what it wrote: sorted per-table counts, their total, and the marker row. */
import type { ExistingLayout } from '../../db/existing-schema.js';
import type { FarmMarker } from '../../db/marker.js';
import { ENGINE_VERSION } from '../../engine/version.js';
import { packageVersion } from '../../host/package-root.js';
import type { TableName } from '../../schema/tables/index.js';
import { SCHEMA_VERSION } from '../../schema/version.js';
import type { Schedule } from '../../schedule/types.js';

export function sortedCounts(counts: ReadonlyMap<TableName, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

export function sum(counts: ReadonlyMap<TableName, number>): number {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

/** The counts of the tables the database holds: a seed's result and marker say what it wrote there. */
export function heldCounts(counts: ReadonlyMap<TableName, number>, layout: ExistingLayout): { rowCounts: Record<string, number>; totalRows: number } {
  const held = new Map([...counts].filter(([table]) => !layout.absent.has(table)));
  return { rowCounts: sortedCounts(held), totalRows: sum(held) };
}

export function farmMarker(key: string, schedule: Schedule, rowCounts: Record<string, number>): FarmMarker {
  return {
    key,
    preset: schedule.preset,
    packageVersion: packageVersion(),
    engineVersion: ENGINE_VERSION,
    schemaVersion: SCHEMA_VERSION,
    schedule,
    rowCounts,
  };
}
