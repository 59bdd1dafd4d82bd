/**
 * `seedFarm()`: resolve the schedule, get a PostgreSQL server, seed, and hand back a `Farm`.
 */
import pg from 'pg';
import { join } from 'node:path';
import { AquaseedError } from '../errors.js';
import { defaultCacheDir } from '../cache-dir.js';
import { startEmbedded } from '../provision/embedded.js';
import { openExternal } from '../provision/external.js';
import type { PostgresServer } from '../provision/server.js';
import { planSchedule } from '../schedule/plan.js';
import { scheduleKey } from '../schedule/hash.js';
import type { Schedule } from '../schedule/types.js';
import { Farm } from './farm.js';
import type { ProgressListener } from './progress.js';
import { seedDatabase, type SeedResult } from './seed-database.js';
import { MARKER_TABLE } from '../db/guard.js';

export interface SeedFarmOptions {
  /** A preset name (`single-batch`, …); ignored when `schedule` is given. */
  preset?: string;
  /** A planned schedule (from `planSchedule`) to seed instead of a preset. */
  schedule?: Schedule;
  /** Seed this database instead of an embedded server (also read from DATABASE_URL). */
  databaseUrl?: string;
  /** `embedded` ignores DATABASE_URL; `external` requires a URL. Default: URL if any, else embedded. */
  provider?: 'embedded' | 'external';
  /** Cache directory (default AQUASEED_CACHE_DIR or node_modules/.cache/aquaseed). */
  cacheDir?: string;
  /**
   * Embedded only: keep the cluster under this name in the cache directory after close (the CLI
   * uses `default`). Omitted, the cluster is throwaway and removed on close.
   */
  cluster?: string;
  /** Embedded only: the database name (default `aquaseed_<preset>`). */
  database?: string;
  /** Parallel connections for COPY and index builds (default 3). */
  connections?: number;
  /** Worker threads generating batches (default 1). The content is the same for any number. */
  workers?: number;
  /**
   * Serve the farm already in the target database when it holds this very schedule (same cache
   * key) instead of seeding again. `aquaseed up` uses it.
   */
  reuse?: boolean;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export async function seedFarm(presetOrOptions: string | SeedFarmOptions): Promise<Farm> {
  const options: SeedFarmOptions = typeof presetOrOptions === 'string' ? { preset: presetOrOptions } : presetOrOptions;
  const schedule = options.schedule ?? planSchedule(requirePreset(options));
  const key = scheduleKey(schedule);
  const started = performance.now();
  options.onProgress?.({ phase: 'provision' });
  const target = await provision(options, schedule);
  const serverSeconds = (performance.now() - started) / 1000;
  try {
    const existing = options.reuse ? await readMarker(target.url, key) : null;
    const result =
      existing ??
      (await seedDatabase({
        url: target.url,
        database: target.database,
        schedule,
        key,
        ...(options.connections ? { connections: options.connections } : {}),
        ...(options.workers ? { workers: options.workers } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      }));
    return new Farm(target.url, schedule, key, {
      ...result,
      key,
      preset: schedule.preset,
      provider: target.server.provider,
      database: target.database,
      serverSeconds,
    }, target.server);
  } catch (error) {
    await target.server.stop();
    throw error;
  }
}

function requirePreset(options: SeedFarmOptions): string {
  if (typeof options.preset === 'string' && options.preset.length > 0) return options.preset;
  throw new AquaseedError(
    'AQUASEED_INVALID_OPTION',
    `seedFarm needs a preset or a schedule, got preset ${JSON.stringify(options.preset)}`,
    "call seedFarm('single-batch') or seedFarm({ preset: 'single-batch' })",
  );
}

interface Target {
  server: PostgresServer;
  url: string;
  database: string;
}

async function provision(options: SeedFarmOptions, schedule: Schedule): Promise<Target> {
  const url = options.databaseUrl ?? (options.provider === 'embedded' ? undefined : process.env.DATABASE_URL);
  if (options.provider === 'external' && !url) {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      "provider 'external' needs a database URL, and neither databaseUrl nor DATABASE_URL is set",
      'pass databaseUrl (--database-url) or set DATABASE_URL, or drop the provider option to use the embedded server',
    );
  }
  if (url) return openExternal(url);
  const server = await startEmbedded({
    root: join(options.cacheDir ?? defaultCacheDir(), 'embedded'),
    ...(options.cluster ? { persistentName: options.cluster } : {}),
  });
  const database = options.database ?? `aquaseed_${schedule.preset.replace(/[^a-zA-Z0-9]+/g, '_')}`;
  try {
    await ensureDatabase(server, database);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { server, url: server.url(database), database };
}

/** The seed result recorded in a database that already holds the farm of `key`, if it does. */
async function readMarker(url: string, key: string): Promise<SeedResult | null> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string; row_counts: Record<string, number> }>(
      `SELECT key, row_counts FROM public.${MARKER_TABLE} WHERE key = $1`,
      [key],
    );
    const row = rows[0];
    if (!row) return null;
    const totalRows = Object.values(row.row_counts).reduce((a, b) => a + b, 0);
    const timings = { generateLoad: 0, keys: 0, indexes: 0, analyze: 0, publish: 0, total: 0 };
    return { rowCounts: row.row_counts, totalRows, timings, previous: { kind: 'seeded', key }, reused: true };
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return null; // no marker table: not seeded
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

async function ensureDatabase(server: PostgresServer, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.url(server.maintenanceDatabase) });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } catch (error) {
    // Two processes creating the same database: the loser's "already exists" is fine.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}
