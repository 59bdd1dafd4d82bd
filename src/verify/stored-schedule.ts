/**
 * The schedule aquaseed stored with the farm (its marker table, src/db/marker.ts), as the checks
 * read it: the schedule itself, or just its asOf. Null for a farm aquaseed did not seed.
 */
import type { Kysely } from 'kysely';
import { markerAsOf, readMarkerIn } from '../db/marker.js';
import type { Database } from '../schema/tables/index.js';
import type { Schedule } from '../schedule/types.js';

/** The schedule aquaseed stored with the farm, or null for a farm it did not seed. */
export async function storedSchedule(db: Kysely<Database>): Promise<Schedule | null> {
  return (await readMarkerIn(db))?.schedule ?? null;
}

/** The seeded schedule's asOf (a YYYY-MM-DD date), or null for a farm aquaseed did not seed. */
export async function seededAsOf(db: Kysely<Database>): Promise<string | null> {
  return markerAsOf(await readMarkerIn(db));
}
