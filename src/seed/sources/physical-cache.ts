/**
 * A throwaway embedded cluster through the physical snapshot cache: a hit starts a server on a
 * copy of the cached cluster's files; a miss generates once under the key's lock (a concurrent
 * request waits, then restores), writes the stopped cluster as the entry, and serves it.
 */
import { join } from 'node:path';
import { withLock } from '../../cache/lock.js';
import { SnapshotStore, type Snapshot } from '../../cache/snapshot-store.js';
import { defaultCacheDir } from '../../host/cache-dir.js';
import { startEmbedded } from '../../provision/embedded.js';
import { embeddedBinaries } from '../../provision/embedded-binaries.js';
import type { PostgresProvider } from '../../provision/server.js';
import type { Schedule } from '../../schedule/types.js';
import { createFarm, type Farm } from '../farm.js';
import { noticeChannel, workersFor, type SeedRequest } from '../request.js';
import { seedDatabase } from '../seed-database.js';
import { noTimings } from '../seed-result.js';
import { databaseName, ensureDatabase } from '../target.js';
import { snapshotIdentity } from './snapshot-identity.js';
import { runMigrate, runSetup, type CheckedMigrate } from '../migrate.js';

/** Whether a request goes this way: a throwaway embedded cluster with the cache on, in a schema aquaseed creates. */
export function usesPhysicalCache(request: SeedRequest, provider: PostgresProvider): boolean {
  // A throwaway cluster starts empty, never Django-migrated: existing mode goes the URL way (and is refused).
  return provider === 'embedded' && !request.cluster && request.cache !== false && request.schema !== 'existing';
}

/**
 * With `migrate`, the cluster is cached as it is after the app's migrate command, the seed and its
 * setup command: a hit starts the app's whole database, its own tables and setup rows included.
 */
export async function seedThroughPhysicalCache(request: SeedRequest, schedule: Schedule, key: string, migrate: CheckedMigrate | null = null): Promise<Farm> {
  const cacheDir = request.cacheDir ?? defaultCacheDir();
  const root = join(cacheDir, 'embedded');
  const store = new SnapshotStore(join(cacheDir, 'snapshots'));
  const { major } = await embeddedBinaries();
  const database = databaseName(request, schedule);
  await store.prune();
  const hit = await store.find(key, major);
  if (hit) return restoreSnapshot(hit, root, schedule, key, request);
  return withLock(
    store.lockPath(key, major),
    async () => {
      const late = await store.find(key, major);
      if (late) return restoreSnapshot(late, root, schedule, key, request);
      const started = performance.now();
      const server = await startEmbedded({ root, onNotice: noticeChannel(request) });
      const serverSeconds = (performance.now() - started) / 1000;
      try {
        await ensureDatabase(server, database);
        const url = server.url(database);
        const migrateSeconds = migrate ? await runMigrate(url, migrate, request) : undefined;
        const workers = workersFor(request, schedule);
        const result = await seedDatabase({
          url,
          database,
          schedule,
          key,
          ...(migrate ? { migrated: true } : {}),
          ...(request.connections ? { connections: request.connections } : {}),
          ...(workers ? { workers } : {}),
          ...(request.onProgress ? { onProgress: request.onProgress } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        });
        if (migrate) {
          result.timings.migrate = migrateSeconds;
          result.timings.setup = await runSetup(url, migrate, request);
        }
        const snapshotStart = performance.now();
        request.onProgress?.({ phase: 'snapshot' });
        await server.withStopped((dataDir) => store.publish(dataDir, snapshotIdentity(key, major, schedule, database, result)));
        result.timings.snapshot = (performance.now() - snapshotStart) / 1000;
        const summary = { ...result, key, preset: schedule.preset, provider: server.provider, database, serverSeconds };
        return createFarm(server.url(database), schedule, key, summary, server);
      } catch (error) {
        await server.stop();
        throw error;
      }
    },
    { onWait: () => request.onProgress?.({ phase: 'provision' }) },
  );
}

async function restoreSnapshot(snapshot: Snapshot, root: string, schedule: Schedule, key: string, request: SeedRequest): Promise<Farm> {
  const started = performance.now();
  const server = await startEmbedded({ root, from: snapshot.dataDir, onNotice: noticeChannel(request) });
  const serverSeconds = (performance.now() - started) / 1000;
  const { manifest } = snapshot;
  const summary = {
    rowCounts: manifest.rowCounts,
    totalRows: manifest.totalRows,
    timings: noTimings(),
    previous: { kind: 'empty' as const },
    reused: false,
    restored: true,
    key,
    preset: schedule.preset,
    provider: server.provider,
    database: manifest.database,
    serverSeconds,
  };
  return createFarm(server.url(manifest.database), schedule, key, summary, server);
}
