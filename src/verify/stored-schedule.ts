/**
 * The schedule aquaseed stored with the farm (its marker table), as the checks read it: the
 * schedule itself, or just its asOf. Null for a farm aquaseed did not seed.
 */
import { sql, type Kysely } from 'kysely';
import { MARKER_TABLE } from '../db/guard.js';
import type { Database } from '../schema/tables/index.js';
import type { Schedule } from '../schedule/types.js';

/** Whether the marker table is there; looked up first, not caught: a failed query would abort the caller's transaction. */
async function hasMarker(db: Kysely<Database>): Promise<boolean> {
  const present = await sql<{ found: boolean }>`SELECT to_regclass(${MARKER_TABLE}) IS NOT NULL AS found`.execute(db);
  return present.rows[0]?.found ?? false;
}

/** The schedule aquaseed stored with the farm, or null for a farm it did not seed. */
export async function storedSchedule(db: Kysely<Database>): Promise<Schedule | null> {
  if (!(await hasMarker(db))) return null;
  const { rows } = await sql<{ schedule: Schedule }>`SELECT schedule FROM ${sql.table(MARKER_TABLE)} LIMIT 1`.execute(db);
  return rows[0]?.schedule ?? null;
}

/** The seeded schedule's asOf (a YYYY-MM-DD date), or null for a farm aquaseed did not seed. */
export async function seededAsOf(db: Kysely<Database>): Promise<string | null> {
  if (!(await hasMarker(db))) return null;
  const { rows } = await sql<{ as_of: string | null }>`SELECT schedule->>'asOf' AS as_of FROM ${sql.table(MARKER_TABLE)} LIMIT 1`.execute(db);
  const asOf = rows[0]?.as_of;
  return asOf && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : null;
}
