/**
 * The marker a seed leaves in its database (src/db/marker.ts), read: by key, to find a farm
 * already seeded (`reuse`, a reused container's restored template), or whatever farm it is, to
 * open a handle on it (`openFarm`).
 */
import { AquaseedError } from '../../core/errors.js';
import { withClient } from '../../db/client.js';
import { MARKER_TABLE, readMarker as readStoredMarker, type StoredMarker } from '../../db/marker.js';
import { redactUrl } from '../../provision/external.js';
import { noTimings, totalOf, type SeedResult } from '../seed-result.js';

/** The seed result recorded in a database that already holds the farm of `key`, if it does. */
export async function readMarker(url: string, key: string): Promise<SeedResult | null> {
  const marker = await withClient(url, (client) => readStoredMarker(client, 'public'));
  if (marker?.key !== key) return null;
  return { rowCounts: marker.rowCounts, totalRows: totalOf(marker.rowCounts), timings: noTimings(), previous: { kind: 'seeded', key }, reused: true };
}

/** The farm `url` holds, for `openFarm`: refused, naming the database, when it holds none or cannot be read. */
export async function readFarmMarker(url: string, database: string): Promise<StoredMarker> {
  let marker: StoredMarker | null;
  try {
    marker = await withClient(url, (client) => readStoredMarker(client, 'public'), { connectionTimeoutMillis: 10_000 });
  } catch (error) {
    throw new AquaseedError(
      'AQUASEED_DATABASE_UNREACHABLE',
      `openFarm cannot read database "${database}" at ${redactUrl(url)}: ${(error as Error).message}`,
      'check that the server is running and the URL is the one your global setup provided',
      { cause: error },
    );
  }
  if (marker) return marker;
  throw new AquaseedError(
    'AQUASEED_NOT_SEEDED',
    `openFarm: database "${database}" holds no aquaseed farm (no ${MARKER_TABLE} row)`,
    'seed it first (`npx aquaseed seed <preset> --database-url …` or seedFarm()), then open its URL',
  );
}
