/**
 * A server aquaseed does not throw away (a URL, the CLI's persistent cluster, a container) through
 * the logical snapshot cache: a hit loads the farm's tables from COPY files instead of
 * generating them; a miss generates (once per key, under its lock), writing the COPY stream to a
 * new entry. `cache: false` always generates.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { withLock, type LockOptions } from '../../cache/lock.js';
import { SnapshotStore, type Snapshot } from '../../cache/snapshot-store.js';
import { unusableEntryIn } from '../../cache/entry-files.js';
import { queryOnce } from '../../db/client.js';
import { defaultCacheDir } from '../../host/cache-dir.js';
import type { Schedule } from '../../schedule/types.js';
import { noticeChannel, workersFor, type SeedRequest } from '../request.js';
import { seedDatabase, type SeedDatabaseOptions, type SeededDatabase } from '../seed-database.js';
import type { SeedResult } from '../seed-result.js';
import type { Target } from '../target.js';
import { snapshotIdentity } from './snapshot-identity.js';

/**
 * `rowsKey` names the entry (the farm's rows, the schedule's key); `key` marks the database (with
 * `migrate`, the template key over the app's schema too). `migrated`: the app's migration made the
 * database's schema (migrate mode), the rows are filled into it as into an existing schema.
 */
export async function seedWithLogicalCache(
  request: SeedRequest,
  target: Target,
  schedule: Schedule,
  rowsKey: string,
  key: string = rowsKey,
  mode: { migrated?: boolean } = {},
): Promise<SeedResult> {
  const existingSchema = request.schema === 'existing';
  // Into a schema aquaseed did not create: rows are exported in the generator's own numbering.
  const intoExisting = existingSchema || mode.migrated === true;
  const workers = workersFor(request, schedule);
  const seed = (restoreFrom?: SeedDatabaseOptions['restoreFrom'], onLoaded?: SeedDatabaseOptions['onLoaded'], writeEntryTo?: string): Promise<SeededDatabase> =>
    seedDatabase({
      url: target.url,
      database: target.database,
      schedule,
      key,
      ...(existingSchema ? { existingSchema } : {}),
      ...(mode.migrated ? { migrated: true } : {}),
      ...(onLoaded ? { onLoaded } : {}),
      ...(request.connections ? { connections: request.connections } : {}),
      ...(workers ? { workers } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      onNotice: noticeChannel(request),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(restoreFrom ? { restoreFrom } : {}),
      ...(writeEntryTo ? { writeEntryTo } : {}),
    });
  if (request.cache === false) return seed();
  const store = new SnapshotStore(join(request.cacheDir ?? defaultCacheDir(), 'snapshots'));
  const major = await serverMajor(target.url);
  // A restore checks the entry's bytes as they stream; an entry that fails (or that PostgreSQL
  // refuses) is evicted and the farm generated instead: null.
  const restore = async (snapshot: Snapshot | null): Promise<SeedResult | null> => {
    if (!snapshot) return null;
    const { dataDir: dir, manifest } = snapshot;
    try {
      const result = await seed({ dir, rowCounts: manifest.rowCounts, files: manifest.files });
      await store.markChecked(snapshot, 'restore');
      return { ...result, restored: true };
    } catch (error) {
      const why = entryFault(error);
      if (why === undefined) throw error;
      await store.evict(snapshot, why);
      return null;
    }
  };
  const hit = await restore(await store.find(rowsKey, major, 'logical'));
  if (hit) return hit;
  return withLock(store.lockPath(rowsKey, major, 'logical'), async () => {
    const late = await restore(await store.find(rowsKey, major, 'logical'));
    if (late) return late;
    if (intoExisting) {
      // The entry holds the generator's rows in its own numbering (users and content types as
      // before the merge into the database's): the same content a created-schema seed exports, so
      // one entry per key serves both modes.
      let snapshotSeconds = 0;
      const result = await seed(undefined, async (loaded) => {
        const started = performance.now();
        request.onProgress?.({ phase: 'snapshot' });
        await store.publishWith('logical', snapshotIdentity(rowsKey, major, schedule, target.database, loaded), (dir) => loaded.exportTo(dir));
        snapshotSeconds = (performance.now() - started) / 1000;
      });
      result.timings.snapshot = snapshotSeconds;
      return result;
    }
    // The entry is written while the farm loads: every COPY chunk also goes to its file.
    let seeded: SeededDatabase | undefined;
    let loaded = 0;
    const identity = { key: rowsKey, preset: schedule.preset, after: () => snapshotIdentity(rowsKey, major, schedule, target.database, seeded as SeededDatabase) };
    await store.publishWith('logical', identity, async (dir) => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      seeded = await seed(undefined, undefined, dir);
      loaded = performance.now();
      return { files: [...(seeded.entryFiles ?? [])], dirs: [{ path: '', mode: 0o700 }] };
    });
    const { entryFiles: _, ...result } = seeded as SeededDatabase;
    // What the entry cost beyond the load: its manifest and its move into place.
    result.timings.snapshot = (performance.now() - loaded) / 1000;
    return result;
  }, waitingFor(rowsKey, request));
}

/** While another process generates the key, the request waits, saying so, and stops waiting on its signal. */
function waitingFor(key: string, request: SeedRequest): LockOptions {
  return {
    onWait: (pid) => noticeChannel(request)(`waiting for ${key}, generated by pid ${pid}`),
    ...(request.signal ? { signal: request.signal } : {}),
  };
}

/**
 * Why a failed restore is the entry's fault, or undefined when it is not (the server went away, an
 * interrupt): a file that failed its check, or data PostgreSQL refused to load (SQLSTATE class 22,
 * data exception: "incorrect binary data format", "invalid sign in external numeric value").
 */
function entryFault(error: unknown): string | undefined {
  const unusable = unusableEntryIn(error);
  if (unusable) return unusable.message;
  for (let at = error; at && typeof at === 'object'; at = (at as { cause?: unknown }).cause) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return `PostgreSQL refused its data (${(at as Error).message})`;
  }
  return undefined;
}

/** The server's major version, part of a logical entry's identity. */
async function serverMajor(url: string): Promise<number> {
  const { rows } = await queryOnce<{ v: string }>(url, `SELECT current_setting('server_version_num') AS v`);
  return Math.floor(Number(rows[0]?.v ?? 0) / 10000);
}
