/**
 * `openFarm(url)`: a `Farm` handle on a database aquaseed seeded earlier, possibly in another
 * process (a test runner's global setup, `aquaseed up`, a clone). The schedule and key come from
 * the database's own marker table, so a worker needs nothing but the URL.
 */
import { externalServer, parseDatabaseUrl } from '../provision/external.js';
import { createFarm, type Farm } from './farm.js';
import { noTimings, totalOf } from './seed-result.js';
import { readFarmMarker } from './sources/seeded-marker.js';

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
  const marker = await readFarmMarker(url, database);
  // aquaseed did not start this server here: close() must not stop it.
  const server = externalServer(url, options.onClose);
  const summary = {
    rowCounts: marker.rowCounts,
    totalRows: totalOf(marker.rowCounts),
    timings: noTimings(),
    previous: { kind: 'seeded' as const, key: marker.key },
    reused: true,
    key: marker.key,
    preset: marker.preset,
    provider: server.provider,
    database,
    serverSeconds: 0,
  };
  return createFarm(url, marker.schedule, marker.key, summary, server);
}
