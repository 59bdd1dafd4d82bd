/**
 * `openFarm(url)`: a `Farm` handle on a database aquaseed seeded earlier, possibly in another
 * process (a test runner's global setup, `aquaseed up`, a clone). The schedule and key come from
 * the database's own marker table, so a worker needs nothing but the URL.
 */
import pg from 'pg';
import { AquaseedError } from '../core/errors.js';
import { MARKER_TABLE } from '../db/guard.js';
import { externalServer, parseDatabaseUrl, redactUrl } from '../provision/external.js';
import type { Schedule } from '../schedule/types.js';
import { Farm } from './farm.js';

export interface OpenFarmOptions {
  /**
   * Runs after `farm.close()` has released the pool: the owner of the database (a fixture that
   * cloned it) drops it here. Without it, close() leaves the database and its server alone.
   */
  onClose?: () => Promise<void>;
}

interface Marker {
  key: string;
  preset: string;
  schedule: Schedule;
  row_counts: Record<string, number>;
}

export async function openFarm(url: string, options: OpenFarmOptions = {}): Promise<Farm> {
  const parsed = parseDatabaseUrl(url, 'openFarm(url)');
  const database = decodeURIComponent(parsed.pathname.slice(1));
  const marker = await readMarker(url, database);
  const totalRows = Object.values(marker.row_counts).reduce((sum, n) => sum + n, 0);
  // aquaseed did not start this server here: close() must not stop it.
  const server = externalServer(url, options.onClose);
  const summary = {
    rowCounts: marker.row_counts,
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

async function readMarker(url: string, database: string): Promise<Marker> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<Marker>(`SELECT key, preset, schedule, row_counts FROM public.${MARKER_TABLE} LIMIT 1`);
    const row = rows[0];
    if (row) return row;
  } catch (error) {
    if ((error as { code?: string }).code !== '42P01') {
      throw new AquaseedError(
        'AQUASEED_DATABASE_UNREACHABLE',
        `openFarm cannot read database "${database}" at ${redactUrl(url)}: ${(error as Error).message}`,
        'check that the server is running and the URL is the one your global setup provided',
        { cause: error },
      );
    }
  } finally {
    await client.end().catch(() => {});
  }
  throw new AquaseedError(
    'AQUASEED_NOT_SEEDED',
    `openFarm: database "${database}" holds no aquaseed farm (no ${MARKER_TABLE} row)`,
    'seed it first (`npx aquaseed seed <preset> --database-url …` or seedFarm()), then open its URL',
  );
}
