/**
 * `openFarm(url)`: a `Farm` handle on a database aquaseed seeded earlier, possibly in another
 * process (a test runner's global setup, `aquaseed up`, a clone). The schedule and key come from
 * the database's own marker table, so a worker needs nothing but the URL.
 */
import { AquaseedError } from '../core/errors.js';
import { MARKER_TABLE, readMarker as readFarmMarker, type StoredMarker } from '../db/marker.js';
import { withClient } from '../db/client.js';
import { externalServer, parseDatabaseUrl, redactUrl } from '../provision/external.js';
import { Farm } from './farm.js';

export interface OpenFarmOptions {
  /**
   * Runs after `farm.close()` has released the pool: the owner of the database (a fixture that
   * cloned it) drops it here. Without it, close() leaves the database and its server alone.
   */
  onClose?: () => Promise<void>;
}

export async function openFarm(url: string, options: OpenFarmOptions = {}): Promise<Farm> {
  const parsed = parseDatabaseUrl(url, 'openFarm(url)');
  const database = decodeURIComponent(parsed.pathname.slice(1));
  const marker = await readMarker(url, database);
  const totalRows = Object.values(marker.rowCounts).reduce((sum, n) => sum + n, 0);
  // aquaseed did not start this server here: close() must not stop it.
  const server = externalServer(url, options.onClose);
  const summary = {
    rowCounts: marker.rowCounts,
    totalRows,
    timings: { generateLoad: 0, keys: 0, indexes: 0, analyze: 0, publish: 0, total: 0 },
    previous: { kind: 'seeded' as const, key: marker.key },
    reused: true,
    key: marker.key,
    preset: marker.preset,
    provider: server.provider,
    database,
    serverSeconds: 0,
  };
  return new Farm(url, marker.schedule, marker.key, summary, server);
}

async function readMarker(url: string, database: string): Promise<StoredMarker> {
  let marker: StoredMarker | null;
  try {
    marker = await withClient(url, (client) => readFarmMarker(client, 'public'), { connectionTimeoutMillis: 10_000 });
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
