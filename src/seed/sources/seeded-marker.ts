/**
 * The marker row a seed leaves in its database (`aquaseed_farm`), read: by key, to find a farm
 * already seeded (`reuse`, a reused container's restored template), or whatever farm it is, to
 * open a handle on it (`openFarm`).
 */
import { AquaseedError } from '../../core/errors.js';
import { withClient } from '../../db/client.js';
import { MARKER_TABLE } from '../../db/guard.js';
import { redactUrl } from '../../provision/external.js';
import type { Schedule } from '../../schedule/types.js';
import { noTimings, totalOf, type SeedResult } from '../seed-result.js';

/** A marker row: the farm a database holds. */
export interface FarmMarkerRow {
  key: string;
  preset: string;
  schedule: Schedule;
  row_counts: Record<string, number>;
}

/** The seed result recorded in a database that already holds the farm of `key`, if it does. */
export async function readMarker(url: string, key: string): Promise<SeedResult | null> {
  return withClient(url, async (client) => {
    try {
      const { rows } = await client.query<{ key: string; row_counts: Record<string, number> }>(
        `SELECT key, row_counts FROM public.${MARKER_TABLE} WHERE key = $1`,
        [key],
      );
      const row = rows[0];
      if (!row) return null;
      return { rowCounts: row.row_counts, totalRows: totalOf(row.row_counts), timings: noTimings(), previous: { kind: 'seeded', key }, reused: true };
    } catch (error) {
      if ((error as { code?: string }).code === '42P01') return null; // no marker table: not seeded
      throw error;
    }
  });
}

/** The farm `url` holds, for `openFarm`: refused, naming the database, when it holds none or cannot be read. */
export async function readFarmMarker(url: string, database: string): Promise<FarmMarkerRow> {
  let row: FarmMarkerRow | undefined;
  try {
    row = await withClient(
      url,
      async (client) => (await client.query<FarmMarkerRow>(`SELECT key, preset, schedule, row_counts FROM public.${MARKER_TABLE} LIMIT 1`)).rows[0],
      { connectionTimeoutMillis: 10_000 },
    );
  } catch (error) {
    if ((error as { code?: string }).code !== '42P01') {
      throw new AquaseedError(
        'AQUASEED_DATABASE_UNREACHABLE',
        `openFarm cannot read database "${database}" at ${redactUrl(url)}: ${(error as Error).message}`,
        'check that the server is running and the URL is the one your global setup provided',
        { cause: error },
      );
    }
  }
  if (row) return row;
  throw new AquaseedError(
    'AQUASEED_NOT_SEEDED',
    `openFarm: database "${database}" holds no aquaseed farm (no ${MARKER_TABLE} row)`,
    'seed it first (`npx aquaseed seed <preset> --database-url …` or seedFarm()), then open its URL',
  );
}
