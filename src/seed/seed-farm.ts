/**
 * `seedFarm()`: resolve the schedule, get a PostgreSQL server, seed, and hand back a `Farm`.
 */
import pg from 'pg';
import { join } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { defaultCacheDir } from '../host/cache-dir.js';
import { startEmbedded } from '../provision/embedded.js';
import { openExternal } from '../provision/external.js';
import type { PostgresProvider, PostgresServer } from '../provision/server.js';
import { startContainer, type ContainerServer } from '../provision/testcontainers.js';
import { probeContainerRuntime } from '../provision/container-runtime.js';
import { resolveSchedule } from '../preset-files/resolve.js';
import { validateSchedule } from '../schedule/validate.js';
import { scheduleKey } from '../cache/key.js';
import type { Schedule } from '../schedule/types.js';
import type { PlanOptions } from '../schedule/plan.js';
import type { Clock } from '../schedule/dates.js';
import type { IncidentInput } from '../schedule/incident-types.js';
import { Farm } from './farm.js';
import type { ProgressListener } from './progress.js';
import { seedDatabase, type SeedDatabaseOptions, type SeedResult } from './seed-database.js';
import { readMarker as readFarmMarker } from '../db/marker.js';
import { withClient } from '../db/client.js';
import { SnapshotStore, type Snapshot, type SnapshotIdentity } from '../cache/snapshot-store.js';
import { exportTables } from '../cache/logical.js';
import { withLock } from '../cache/lock.js';
import { embeddedBinaries } from '../provision/embedded-binaries.js';
import { packageVersion } from '../host/package-root.js';
import { ENGINE_VERSION } from '../engine/version.js';
import { SCHEMA_VERSION } from '../schema/version.js';

export interface SeedFarmOptions {
  /** A preset name (`single-batch`, …) or a preset/schedule file (`.yaml`); ignored when `schedule` is given. */
  preset?: string;
  /**
   * A schedule to seed instead of a preset: an object (from `planSchedule`, or edited) or the path
   * of a schedule file (`aquaseed plan <preset> -o file`). It is validated first: overlapping
   * bookings, unknown containers or missing stages are refused with the batches and dates.
   */
  schedule?: Schedule | string;
  /**
   * The farm's "today", replacing the preset's or schedule's: a date, `today` or `today-3d`
   * (resolved in UTC now, so the farm and its cache key are per day; see `clock`).
   */
  asOf?: string;
  /** Incidents (docs/incidents.md), added after the preset's or schedule's own. */
  incidents?: readonly IncidentInput[];
  /** Planned activities due within this many days before asOf stay PENDING (overdue); replaces the preset's. */
  overdueActivityDays?: number;
  /** What "today" is for a relative asOf (default: AQUASEED_TODAY, else the wall clock). */
  clock?: Clock;
  /** Seed this database instead of an embedded server (also read from DATABASE_URL). */
  databaseUrl?: string;
  /**
   * Where PostgreSQL comes from. `embedded` ignores DATABASE_URL; `external` requires a URL;
   * `testcontainers` starts a container (needs a container runtime); `auto` takes a URL if any,
   * else a reachable container runtime, else embedded. Default: URL if any, else embedded.
   */
  provider?: 'embedded' | 'external' | 'testcontainers' | 'auto';
  /**
   * testcontainers only: keep the container for the next run (testcontainers `withReuse()`; also
   * AQUASEED_CONTAINER_REUSE=true). The farm is kept in a template database inside it, so the next
   * run of the same key restores it instead of seeding. Reused containers are not removed at exit.
   */
  reuseContainer?: boolean;
  /**
   * `create` (default): aquaseed creates the AquaMind tables itself. `existing`: the database
   * already holds them (a Django-migrated AquaMind); aquaseed checks the columns and replaces only
   * the rows of the tables it writes.
   */
  schema?: 'create' | 'existing';
  /** Cache directory (default AQUASEED_CACHE_DIR or node_modules/.cache/aquaseed). */
  cacheDir?: string;
  /**
   * The snapshot cache (default on): a hit restores the farm instead of generating it, from a
   * stopped cluster's files for throwaway embedded clusters (physical) or from per-table COPY
   * files for other servers (logical). `false` always generates and writes no entry.
   */
  cache?: boolean;
  /**
   * Embedded only: keep the cluster under this name in the cache directory after close (the CLI
   * uses `default`). Omitted, the cluster is throwaway and removed on close.
   */
  cluster?: string;
  /**
   * With `cluster`: when a killed process left that cluster's server running, adopt it (serve it,
   * stop it at close) instead of stopping and restarting it. `aquaseed up` sets it.
   */
  adoptStaleServer?: boolean;
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
  /**
   * Receives a line for each thing worth knowing that is not an error: an app an older AquaMind
   * database lacks (left out), a stale embedded server stopped or adopted. Default: printed to
   * stderr as `aquaseed: …`.
   */
  onNotice?: (message: string) => void;
  signal?: AbortSignal;
}

/** The options' notice channel, stderr when none was given. */
export function noticeChannel(options: Pick<SeedFarmOptions, 'onNotice'>): (message: string) => void {
  return options.onNotice ?? ((message) => process.stderr.write(`aquaseed: ${message}\n`));
}

export async function seedFarm(presetOrOptions: string | SeedFarmOptions): Promise<Farm> {
  const options: SeedFarmOptions = typeof presetOrOptions === 'string' ? { preset: presetOrOptions } : presetOrOptions;
  const plan = planOptions(options);
  const schedule =
    typeof options.schedule === 'string'
      ? resolveSchedule(options.schedule, plan)
      : options.schedule
        ? validateSchedule(options.schedule, 'seedFarm({ schedule })', plan)
        : resolveSchedule(requirePreset(options), plan);
  const key = scheduleKey(schedule);
  const started = performance.now();
  options.onProgress?.({ phase: 'provision' });
  const provider = await resolveProvider(options);
  if (usesSnapshotCache(options, provider)) return seedThroughCache(options, schedule, key);
  const target = await provision(options, schedule, provider);
  const serverSeconds = (performance.now() - started) / 1000;
  try {
    const existing = options.reuse ? await readMarker(target.url, key) : null;
    const fromTemplate = existing ? null : await fromContainerTemplate(target, key);
    const result = existing ?? fromTemplate ?? (await seedWithLogicalCache(options, target, schedule, key));
    if (!existing && !fromTemplate && isContainer(target.server)) await target.server.saveTemplate(key);
    return new Farm(target.url, schedule, key, {
      ...result,
      key,
      preset: schedule.preset,
      provider: target.server.provider,
      database: target.database,
      serverSeconds,
      ...('attached' in target.server && target.server.attached === true ? { sharedServer: true } : {}),
    }, target.server);
  } catch (error) {
    await target.server.stop();
    throw error;
  }
}

/**
 * A server aquaseed does not throw away (a URL, or the CLI's persistent cluster): a hit in the
 * logical snapshot cache loads the farm's tables from binary COPY files instead of generating
 * them; a miss generates (once per key, under its lock) and exports the tables as a new entry.
 */
async function seedWithLogicalCache(options: SeedFarmOptions, target: Target, schedule: Schedule, key: string): Promise<SeedResult> {
  const existingSchema = options.schema === 'existing';
  const seed = (restoreFrom?: SeedDatabaseOptions['restoreFrom'], onLoaded?: SeedDatabaseOptions['onLoaded']): Promise<SeedResult> =>
    seedDatabase({
      url: target.url,
      database: target.database,
      schedule,
      key,
      ...(existingSchema ? { existingSchema } : {}),
      ...(onLoaded ? { onLoaded } : {}),
      ...(options.connections ? { connections: options.connections } : {}),
      ...(workersFor(options, schedule) ? { workers: workersFor(options, schedule) } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      onNotice: noticeChannel(options),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(restoreFrom ? { restoreFrom } : {}),
    });
  if (options.cache === false) return seed();
  const store = new SnapshotStore(join(options.cacheDir ?? defaultCacheDir(), 'snapshots'));
  const major = await serverMajor(target.url);
  const restore = async (snapshot: Snapshot): Promise<SeedResult> => ({
    ...(await seed({ dir: snapshot.dataDir, rowCounts: snapshot.manifest.rowCounts })),
    restored: true,
  });
  const hit = await store.find(key, major, 'logical');
  if (hit) return restore(hit);
  return withLock(store.lockPath(key, major, 'logical'), async () => {
    const late = await store.find(key, major, 'logical');
    if (late) return restore(late);
    if (existingSchema) {
      // The entry holds the generator's rows in its own numbering (users and content types as
      // before the merge into the database's): the same content a created-schema seed exports, so
      // one entry per key serves both modes.
      let snapshotSeconds = 0;
      const result = await seed(undefined, async (loaded) => {
        const started = performance.now();
        options.onProgress?.({ phase: 'snapshot' });
        await store.publishWith('logical', snapshotIdentity(key, major, schedule, target.database, loaded), (dir) => loaded.exportTo(dir));
        snapshotSeconds = (performance.now() - started) / 1000;
      });
      result.timings.snapshot = snapshotSeconds;
      return result;
    }
    const result = await seed();
    const started = performance.now();
    options.onProgress?.({ phase: 'snapshot' });
    await store.publishWith('logical', snapshotIdentity(key, major, schedule, target.database, result), (dir) =>
      exportTables(target.url, 'public', dir),
    );
    result.timings.snapshot = (performance.now() - started) / 1000;
    return result;
  });
}

function snapshotIdentity(
  key: string,
  pgMajor: number,
  schedule: Schedule,
  database: string,
  result: Pick<SeedResult, 'rowCounts' | 'totalRows'>,
): SnapshotIdentity {
  return {
    key,
    pgMajor,
    preset: schedule.preset,
    database,
    packageVersion: packageVersion(),
    engineVersion: ENGINE_VERSION,
    schemaVersion: SCHEMA_VERSION,
    rowCounts: result.rowCounts,
    totalRows: result.totalRows,
  };
}

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
    return Math.floor(Number(rows[0]?.v ?? 0) / 10000);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The caller's worker count, else the preset's (it stays out of the key: content is the same). */
function workersFor(options: SeedFarmOptions, schedule: Schedule): number | undefined {
  return options.workers ?? schedule.workers;
}

function usesSnapshotCache(options: SeedFarmOptions, provider: PostgresProvider): boolean {
  // A throwaway cluster starts empty, never Django-migrated: existing mode goes the URL way (and is refused).
  return provider === 'embedded' && !options.cluster && options.cache !== false && options.schema !== 'existing';
}

/** The URL to seed, if any: an explicit one always; DATABASE_URL unless a server provider was chosen. */
function targetUrl(options: SeedFarmOptions): string | undefined {
  if (options.databaseUrl) return options.databaseUrl;
  return options.provider === 'embedded' || options.provider === 'testcontainers' ? undefined : process.env.DATABASE_URL || undefined;
}

/** `auto`: a URL if any, else a reachable container runtime, else embedded (design.md §5). */
async function resolveProvider(options: SeedFarmOptions): Promise<PostgresProvider> {
  if (targetUrl(options)) return 'external';
  switch (options.provider) {
    case 'external':
      throw new AquaseedError(
        'AQUASEED_INVALID_OPTION',
        "provider 'external' needs a database URL, and neither databaseUrl nor DATABASE_URL is set",
        'pass databaseUrl (--database-url) or set DATABASE_URL, or drop the provider option to use the embedded server',
      );
    case 'testcontainers':
      return 'testcontainers';
    case 'auto': {
      if (!(await probeContainerRuntime()).available) return 'embedded';
      const installed = await import('@testcontainers/postgresql').then(() => true, () => false);
      return installed ? 'testcontainers' : 'embedded';
    }
    case undefined:
    case 'embedded':
      return 'embedded';
    default:
      throw new AquaseedError(
        'AQUASEED_INVALID_OPTION',
        `provider ${JSON.stringify(options.provider)} is not one of embedded, external, testcontainers, auto`,
        "pass provider: 'embedded' (the default), 'external', 'testcontainers' or 'auto'",
      );
  }
}

function isContainer(server: PostgresServer): server is ContainerServer {
  return server.provider === 'testcontainers';
}

/** A reused container that holds this key's template database: the farm restored from it. */
async function fromContainerTemplate(target: Target, key: string): Promise<SeedResult | null> {
  if (!isContainer(target.server) || !(await target.server.restoreTemplate(key))) return null;
  const restored = await readMarker(target.url, key);
  return restored ? { ...restored, reused: false, restored: true } : null;
}

function databaseName(options: SeedFarmOptions, schedule: Schedule): string {
  return options.database ?? `aquaseed_${schedule.preset.replace(/[^a-zA-Z0-9]+/g, '_')}`;
}

/**
 * Throwaway embedded cluster through the snapshot cache: restore on a hit; on a miss, generate
 * once under the key's lock (a concurrent request waits, then restores), snapshot, serve.
 */
async function seedThroughCache(options: SeedFarmOptions, schedule: Schedule, key: string): Promise<Farm> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const root = join(cacheDir, 'embedded');
  const store = new SnapshotStore(join(cacheDir, 'snapshots'));
  const { major } = await embeddedBinaries();
  const database = databaseName(options, schedule);
  await store.prune();
  const hit = await store.find(key, major);
  if (hit) return restoreSnapshot(hit, root, schedule, key, options);
  return withLock(store.lockPath(key, major), async () => {
    const late = await store.find(key, major);
    if (late) return restoreSnapshot(late, root, schedule, key, options);
    const started = performance.now();
    const server = await startEmbedded({ root, onNotice: noticeChannel(options) });
    const serverSeconds = (performance.now() - started) / 1000;
    try {
      await ensureDatabase(server, database);
      const result = await seedDatabase({
        url: server.url(database),
        database,
        schedule,
        key,
        ...(options.connections ? { connections: options.connections } : {}),
        ...(workersFor(options, schedule) ? { workers: workersFor(options, schedule) } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const snapshotStart = performance.now();
      options.onProgress?.({ phase: 'snapshot' });
      await server.withStopped((dataDir) => store.publish(dataDir, snapshotIdentity(key, major, schedule, database, result)));
      result.timings.snapshot = (performance.now() - snapshotStart) / 1000;
      const summary = { ...result, key, preset: schedule.preset, provider: server.provider, database, serverSeconds };
      return new Farm(server.url(database), schedule, key, summary, server);
    } catch (error) {
      await server.stop();
      throw error;
    }
  }, { onWait: () => options.onProgress?.({ phase: 'provision' }) });
}

async function restoreSnapshot(snapshot: Snapshot, root: string, schedule: Schedule, key: string, options: SeedFarmOptions): Promise<Farm> {
  const started = performance.now();
  const server = await startEmbedded({ root, from: snapshot.dataDir, onNotice: noticeChannel(options) });
  const seconds = (performance.now() - started) / 1000;
  const { manifest } = snapshot;
  const timings = { generateLoad: 0, keys: 0, indexes: 0, analyze: 0, publish: 0, total: 0 };
  const summary = {
    rowCounts: manifest.rowCounts,
    totalRows: manifest.totalRows,
    timings,
    previous: { kind: 'empty' as const },
    reused: false,
    restored: true,
    key,
    preset: schedule.preset,
    provider: server.provider,
    database: manifest.database,
    serverSeconds: seconds,
  };
  return new Farm(server.url(manifest.database), schedule, key, summary, server);
}

function planOptions(options: SeedFarmOptions): PlanOptions {
  return {
    ...(options.asOf !== undefined ? { asOf: options.asOf } : {}),
    ...(options.incidents !== undefined ? { incidents: options.incidents } : {}),
    ...(options.overdueActivityDays !== undefined ? { overdueActivityDays: options.overdueActivityDays } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
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

async function provision(options: SeedFarmOptions, schedule: Schedule, provider: PostgresProvider): Promise<Target> {
  const url = targetUrl(options);
  if (provider === 'external' && url) return openExternal(url);
  if (provider === 'testcontainers') {
    const database = databaseName(options, schedule);
    const reuse = options.reuseContainer ?? process.env.AQUASEED_CONTAINER_REUSE === 'true';
    const server = await startContainer({ database, reuse });
    return { server, url: server.url(database), database };
  }
  const server = await startEmbedded({
    root: join(options.cacheDir ?? defaultCacheDir(), 'embedded'),
    ...(options.cluster ? { persistentName: options.cluster } : {}),
    stale: options.adoptStaleServer ? 'adopt' : 'stop',
    onNotice: noticeChannel(options),
  });
  const database = databaseName(options, schedule);
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
  const marker = await withClient(url, (client) => readFarmMarker(client, 'public'));
  if (marker?.key !== key) return null;
  const totalRows = Object.values(marker.rowCounts).reduce((a, b) => a + b, 0);
  const timings = { generateLoad: 0, keys: 0, indexes: 0, analyze: 0, publish: 0, total: 0 };
  return { rowCounts: marker.rowCounts, totalRows, timings, previous: { kind: 'seeded', key }, reused: true };
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
