/**
 * Tells a check that found nothing to judge apart: the data it needs is missing (the farm was
 * wiped, its batches or a table the seed filled are gone) is a failure; what the farm does not
 * contain by design (no batch old enough to harvest yet) is a SKIP, named as such. The oracle is
 * what the seed wrote: the row counts aquaseed stored with the farm (src/db/marker.ts).
 */
import { sql, type Kysely } from 'kysely';
import { readMarkerIn, WIPED_PREFIX } from '../db/marker.js';
import type { Database } from '../schema/tables/index.js';
import type { CheckName, CheckResult } from './types.js';

/** What the database holds now, and what the seed wrote, as far as the checks depend on it. */
export interface FarmContents {
  /** The farm was emptied by `aquaseed wipe`. */
  wiped: boolean;
  /** Rows of the tables below now. */
  rows: Partial<Record<string, number>>;
  /** Rows the seed wrote (the marker's counts), or null for a database aquaseed did not seed. */
  seeded: Partial<Record<string, number>> | null;
}

/** The tables a check reads its subjects from, beyond batch_batch (which every check needs). */
const NEEDS: Partial<Record<CheckName, string[]>> = {
  environmentalLinkage: ['environmental_environmentalreading'],
  mortalityLinkage: ['batch_mortalityevent'],
  feedingLinkage: ['inventory_feedingevent'],
  utilization: ['infrastructure_container'],
  survival: ['harvest_harvestlot'],
  harvestWeight: ['harvest_harvestlot'],
};
const BATCHES = 'batch_batch';

export async function readFarmContents(db: Kysely<Database>): Promise<FarmContents> {
  const tables = [BATCHES, ...new Set(Object.values(NEEDS).flat())];
  // One row per table; to_regclass keeps a table an older AquaMind lacks from failing the query.
  const counted = await Promise.all(
    tables.map(async (table) => {
      const exists = (await sql<{ t: string | null }>`SELECT to_regclass(${table})::text AS t`.execute(db)).rows[0]?.t;
      if (!exists) return [table, 0] as const;
      const n = (await sql<{ n: number }>`SELECT count(*)::float8 AS n FROM ${sql.table(table)}`.execute(db)).rows[0]?.n ?? 0;
      return [table, n] as const;
    }),
  );
  const marker = await readMarkerIn(db);
  return {
    wiped: marker?.key.startsWith(WIPED_PREFIX) ?? false,
    rows: Object.fromEntries(counted),
    seeded: marker ? marker.rowCounts : null,
  };
}

/** Why the data a check needs is missing, or undefined when its SKIP is by design. */
export function missingData(name: CheckName, contents: FarmContents): string | undefined {
  if (contents.wiped) return 'the farm was wiped (aquaseed wipe): its operational data is gone';
  const gone = (table: string): boolean => (contents.rows[table] ?? 0) === 0 && (contents.seeded?.[table] ?? 0) > 0;
  if ((contents.rows[BATCHES] ?? 0) === 0) {
    return contents.seeded && gone(BATCHES)
      ? `${BATCHES} is empty, though the seed wrote ${contents.seeded[BATCHES]} batches`
      : `the database holds no batch (${BATCHES} is empty)`;
  }
  for (const table of NEEDS[name] ?? []) {
    if (gone(table)) return `${table} is empty, though the seed wrote ${contents.seeded![table]} rows`;
  }
  return undefined;
}

/** A skipped check as it stands: failed for missing data, or skipped by design and named so. */
export function judgeSkip(check: CheckResult, contents: FarmContents): CheckResult {
  if (!check.skipped) return check;
  const missing = missingData(check.name, contents);
  if (missing) {
    const { skipped, ...rest } = check;
    return { ...rest, pass: false, missing: `${missing}; cannot judge (${skipped})` };
  }
  return { ...check, skipped: `not in this farm by design: ${check.skipped}` };
}
