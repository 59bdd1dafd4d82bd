/**
 * The bench's copy measurements, shared by the preset runs (bench/run.ts) and the copy-on-write
 * section (bench/reflink.ts): a clone of the seeded database by aquaseed and by PostgreSQL's own
 * strategies, and a restore of the physical snapshot against a plain copy of the same files. Each
 * says which copy method ran, from what it cost on disk: a reflink shares the blocks it copies.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, statfs } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { queryOnce } from '../src/db/client.js';
import { cloneDatabase, dropDatabase, type CloneStrategy } from '../src/db/clone.js';
import type { Snapshot, SnapshotStore } from '../src/cache/snapshot-store.js';
import { copyMethodIn } from '../src/cache/copy-method.js';
import { copyTree } from '../src/host/copy-tree.js';
import { startEmbedded, type EmbeddedServer } from '../src/provision/embedded.js';

/** `unknown`: the server's disk is not on this machine, so what a copy wrote cannot be seen. */
export type CopyMethod = 'reflink' | 'file copy' | 'unknown';

/** A copy that wrote less than this share of what it copied shared its blocks: a reflink. */
const REFLINK_SHARE = 0.1;

export interface CloneTimings {
  /** What aquaseed's clone did (PostgreSQL 18 asks for `file_copy_method = clone`). */
  method: CopyMethod;
  /** Whether the filesystem under the data directory can reflink at all (`cp --reflink=always`). */
  canReflink: boolean;
  seconds: number;
  /** Disk the clone took (the filesystem's used bytes before and after, synced); null: not on this machine. */
  diskWrittenMb: number | null;
  rawFileCopySeconds: number;
  rawFileCopyDiskWrittenMb: number | null;
  rawWalLogSeconds: number;
  ratioToFileCopy: number;
}

export interface RestoreTimings {
  /** How the restore copied the entry (copy-tree's `cp --reflink=auto`). */
  method: CopyMethod;
  snapshotWriteSeconds: number;
  snapshotWriteMethod: CopyMethod;
  /** Copy the entry, start a server on it, first query answered. */
  restoreSeconds: number;
  /** restoreSeconds less copy-tree's copy of the same files: server start, recovery, first query. */
  beyondCopySeconds: number;
  diskWrittenMb: number;
  snapshotMb: number;
  /** The same files copied by `cp -a --reflink=never` and by copy-tree, on the same filesystem. */
  plainCopySeconds: number;
  copyTreeSeconds: number;
  ratioToPlainCopy: number;
}

/** Used bytes of the filesystem holding `dir`, after the kernel wrote out what it holds. */
export async function usedBytes(dir: string): Promise<number> {
  spawnSync('sync', ['-f', dir]);
  const stats = await statfs(dir);
  return (stats.blocks - stats.bfree) * stats.bsize;
}

/**
 * What a copy of `bytes` that took `written` on disk was. Only a filesystem that can reflink can
 * have shared blocks: elsewhere a small figure is other jobs freeing space on the same disk.
 */
function methodOf(bytes: number, written: number, reflinkCapable: boolean): CopyMethod {
  return reflinkCapable && bytes > 0 && written < bytes * REFLINK_SHARE ? 'reflink' : 'file copy';
}

/** Whether the filesystem holding `dir` can reflink (false where `dir` cannot be written: nothing known, nothing claimed). */
export async function canReflink(dir: string): Promise<boolean> {
  return (await copyMethodIn(dir)) === 'reflink';
}

/**
 * Waits until the disk has written what earlier steps left in the page cache: on a disk slower than
 * the page cache (this machine's writes about 120 MB/s) their writeback would otherwise land in the
 * next timed step, and steps measured one after the other would not compare.
 */
export function settleDisk(): void {
  spawnSync('sync');
}

/** Times one clone into `bench_clone`, and what it wrote to the disk under `dataDir` (if given), then drops it. */
export async function timeClone(
  maintenanceUrl: string,
  dataDir: string | null,
  clone: (target: string) => Promise<unknown>,
): Promise<{ seconds: number; writtenBytes: number | null }> {
  const before = dataDir ? await usedBytes(dataDir) : 0;
  settleDisk();
  const started = performance.now();
  await clone('bench_clone');
  const seconds = (performance.now() - started) / 1000;
  const writtenBytes = dataDir ? Math.max(0, (await usedBytes(dataDir)) - before) : null;
  await dropDatabase(maintenanceUrl, 'bench_clone');
  return { seconds, writtenBytes };
}

/** The physical baseline: PostgreSQL's own CREATE DATABASE … TEMPLATE, nothing else (on 18: file_copy_method = copy, the default). */
export async function rawClone(maintenanceUrl: string, source: string, target: string, strategy: CloneStrategy): Promise<void> {
  await queryOnce(maintenanceUrl, `CREATE DATABASE ${target} TEMPLATE ${source} STRATEGY ${strategy}`);
}

/** aquaseed's clone of `source` against PostgreSQL's FILE_COPY and WAL_LOG, on the server whose data lives under `dataDir`. */
export async function timeClones(maintenanceUrl: string, source: string, dataDir: string | null): Promise<CloneTimings> {
  const bytes = Number((await queryOnce<{ bytes: string }>(maintenanceUrl, 'SELECT pg_database_size($1) AS bytes', [source])).rows[0]?.bytes ?? 0);
  // The first clone on a server learns whether its filesystem can clone by reflink; time the rest.
  await timeClone(maintenanceUrl, dataDir, (target) => cloneDatabase(maintenanceUrl, source, target, 'FILE_COPY'));
  const aquaseed = await timeClone(maintenanceUrl, dataDir, (target) => cloneDatabase(maintenanceUrl, source, target, 'FILE_COPY'));
  const fileCopy = await timeClone(maintenanceUrl, dataDir, (target) => rawClone(maintenanceUrl, source, target, 'FILE_COPY'));
  const walLog = await timeClone(maintenanceUrl, dataDir, (target) => rawClone(maintenanceUrl, source, target, 'WAL_LOG'));
  const reflinkCapable = dataDir ? await canReflink(dataDir) : false;
  return {
    method: aquaseed.writtenBytes === null ? 'unknown' : methodOf(bytes, aquaseed.writtenBytes, reflinkCapable),
    canReflink: reflinkCapable,
    seconds: round(aquaseed.seconds),
    diskWrittenMb: aquaseed.writtenBytes === null ? null : mb(aquaseed.writtenBytes),
    rawFileCopySeconds: round(fileCopy.seconds),
    rawFileCopyDiskWrittenMb: fileCopy.writtenBytes === null ? null : mb(fileCopy.writtenBytes),
    rawWalLogSeconds: round(walLog.seconds),
    ratioToFileCopy: round(aquaseed.seconds / fileCopy.seconds),
  };
}

/**
 * The snapshot cache path of seedFarm on `server`: write the stopped cluster as an entry of
 * `store`, then time a restore under `embeddedRoot` (copy the entry, start a server, first query
 * answered), and plain copies of the same files beside it.
 */
export async function timeRestore(
  server: EmbeddedServer,
  store: SnapshotStore,
  embeddedRoot: string,
  identity: { preset: string; rowCounts: Record<string, number>; totalRows: number },
): Promise<RestoreTimings & { snapshot: Snapshot }> {
  await mkdir(store.dir, { recursive: true });
  const before = await usedBytes(store.dir);
  settleDisk();
  const writeStart = performance.now();
  const snapshot = await server.withStopped((dataDir) =>
    store.publish(dataDir, {
      key: 'bench', pgMajor: server.major, preset: identity.preset, database: 'bench', packageVersion: '', engineVersion: 0, schemaVersion: 0,
      rowCounts: identity.rowCounts, totalRows: identity.totalRows,
    }),
  );
  const writeSeconds = (performance.now() - writeStart) / 1000;
  const bytes = snapshot.manifest.files.reduce((sum, f) => sum + f.size, 0);
  const cacheCanReflink = await canReflink(store.dir);
  const snapshotWritten = Math.max(0, (await usedBytes(store.dir)) - before);

  const beforeRestore = await usedBytes(embeddedRoot);
  settleDisk();
  const restoreStart = performance.now();
  const restored = await startEmbedded({ root: embeddedRoot, from: snapshot.dataDir });
  await queryOnce(restored.url('bench'), 'SELECT count(*) FROM batch_batch');
  const restoreSeconds = (performance.now() - restoreStart) / 1000;
  const restoreWritten = Math.max(0, (await usedBytes(embeddedRoot)) - beforeRestore);
  await restored.stop();
  // Where a restore's time goes besides the copy: the copy alone, by copy-tree and by a plain cp.
  const scratch = await mkdtemp(join(embeddedRoot, '.bench-copy-'));
  try {
    settleDisk();
    const treeStart = performance.now();
    await copyTree(snapshot.dataDir, join(scratch, 'copy-tree'));
    const copyTreeSeconds = (performance.now() - treeStart) / 1000;
    await rm(join(scratch, 'copy-tree'), { recursive: true, force: true });
    settleDisk();
    const plainStart = performance.now();
    const plain = spawnSync('cp', ['-a', '--reflink=never', snapshot.dataDir, join(scratch, 'plain')]);
    if (plain.status !== 0) throw new Error(`cp -a --reflink=never failed: ${plain.stderr.toString()}`);
    const plainCopySeconds = (performance.now() - plainStart) / 1000;
    return {
      snapshot,
      // Restores copy from the cache into the embedded root: a reflink needs both on one such filesystem.
      method: methodOf(bytes, restoreWritten, cacheCanReflink && (await canReflink(embeddedRoot))),
      snapshotWriteSeconds: round(writeSeconds),
      snapshotWriteMethod: methodOf(bytes, snapshotWritten, cacheCanReflink),
      restoreSeconds: round(restoreSeconds),
      beyondCopySeconds: round(restoreSeconds - copyTreeSeconds),
      diskWrittenMb: mb(restoreWritten),
      snapshotMb: mb(bytes),
      plainCopySeconds: round(plainCopySeconds),
      copyTreeSeconds: round(copyTreeSeconds),
      ratioToPlainCopy: round(restoreSeconds / plainCopySeconds),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The machine's load average (1, 5, 15 min) now: other jobs share the disk and cores a figure was measured on. */
export function loadNow(): number[] {
  return loadavg().map((load) => Math.round(load * 100) / 100);
}

export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}
