/**
 * `npm run bench -- --reflink [--preset <name>]`: clone and restore measured twice in one run, on
 * this machine's own disk and on a copy-on-write filesystem: an XFS image (reflink=1) loop-mounted
 * for the run, holding the embedded cluster and the cache. Needs root and mkfs.xfs (xfsprogs); the
 * image is unmounted and removed afterwards, on failure and on Ctrl-C too.
 *
 * The preset is seeded once, on the own disk; the XFS cluster starts from its snapshot. Each row
 * says which copy method ran (reflink or file copy, told by what the copy wrote to the disk).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryOnce, withClient } from '../src/db/client.js';
import { SnapshotStore } from '../src/cache/snapshot-store.js';
import { scheduleKey } from '../src/cache/key.js';
import { planSchedule } from '../src/preset-files/resolve.js';
import { startEmbedded, type EmbeddedServer } from '../src/provision/embedded.js';
import { seedDatabase } from '../src/seed/seed-database.js';
import { loadNow, round, timeClones, timeRestore, type CloneTimings, type RestoreTimings } from './copy-timings.js';

/** Sparse: it takes on the host disk only what the run writes into it. */
const IMAGE_GB = 40;

export interface ReflinkResult {
  preset: string;
  /** Where cluster and cache lived: `ext4 (the machine's disk)`, `xfs (loop image, reflink=1)`. */
  filesystem: string;
  server: string;
  seedSeconds: number;
  clone: CloneTimings;
  restore: RestoreTimings;
  /** Load average (1, 5, 15 min) when the row was finished. */
  load: number[];
}

export async function benchReflink(preset: string): Promise<ReflinkResult[]> {
  requireReflinkTools();
  const work = await mkdtemp(join(tmpdir(), 'aquaseed-bench-reflink-'));
  // PostgreSQL runs as the postgres user: it must reach the clusters below.
  await chmod(work, 0o755);
  try {
    const disk = await measureOnDisk(join(work, 'disk'), preset);
    const rows: ReflinkResult[] = [disk.row];
    log(rows[0]!);
    await withXfsImage(join(work, 'xfs'), async (mount) => {
      const xfsRoot = join(mount, 'embedded');
      await mkdir(xfsRoot, { recursive: true });
      // Untimed: the seeded cluster brought onto the XFS image, the own disk's copy given back.
      const xfs = await startEmbedded({ root: xfsRoot, from: disk.snapshotDataDir });
      await rm(join(work, 'disk'), { recursive: true, force: true });
      try {
        const { snapshotDataDir: _dir, ...measured } = await measure(xfs, xfsRoot, join(mount, 'cache'), preset, disk.seed);
        if (!measured.filesystem.startsWith('xfs')) throw new Error(`the cluster on the XFS image runs on ${measured.filesystem}: the embedded root fell back elsewhere`);
        rows.push({ preset, seedSeconds: disk.row.seedSeconds, ...measured });
      } finally {
        await xfs.stop();
      }
    });
    log(rows[1]!);
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The preset seeded on this machine's disk under `dir`, measured there; its snapshot stays for the XFS run. */
async function measureOnDisk(dir: string, preset: string): Promise<{ row: ReflinkResult; seed: SeedCounts; snapshotDataDir: string }> {
  const schedule = planSchedule(preset);
  const root = join(dir, 'embedded');
  await mkdir(root, { recursive: true });
  const server = await startEmbedded({ root });
  try {
    await withClient(server.url(server.maintenanceDatabase), (admin) => admin.query('CREATE DATABASE bench'));
    const started = performance.now();
    const seed = await seedDatabase({ url: server.url('bench'), database: 'bench', schedule, key: scheduleKey(schedule), workers: schedule.workers ?? 1 });
    const seedSeconds = round((performance.now() - started) / 1000);
    const { snapshotDataDir, ...measured } = await measure(server, root, join(dir, 'cache'), preset, seed);
    return { row: { preset, seedSeconds, ...measured }, seed, snapshotDataDir };
  } finally {
    await server.stop();
  }
}

type SeedCounts = { rowCounts: Record<string, number>; totalRows: number };

async function measure(
  server: EmbeddedServer,
  embeddedRoot: string,
  cacheDir: string,
  preset: string,
  seed: SeedCounts,
): Promise<Omit<ReflinkResult, 'preset' | 'seedSeconds'> & { snapshotDataDir: string }> {
  const maintenance = server.url(server.maintenanceDatabase);
  const dataDir = (await queryOnce<{ dir: string }>(maintenance, `SELECT current_setting('data_directory') AS dir`)).rows[0]!.dir;
  const filesystem = filesystemOf(dataDir);
  const clone = await timeClones(maintenance, 'bench', dataDir);
  const { snapshot, ...restore } = await timeRestore(server, new SnapshotStore(cacheDir), embeddedRoot, { preset, ...seed });
  return {
    filesystem: filesystem === 'xfs' ? 'xfs (loop image, reflink=1)' : `${filesystem} (the machine's disk)`,
    server: `embedded PostgreSQL ${server.major}`,
    clone,
    restore,
    load: loadNow(),
    snapshotDataDir: snapshot.dataDir,
  };
}

function log(row: ReflinkResult): void {
  console.log(
    `${row.preset} on ${row.filesystem}: clone ${row.clone.seconds} s by ${row.clone.method} (${row.clone.diskWrittenMb} MB written; ` +
      `raw FILE_COPY ${row.clone.rawFileCopySeconds} s writing ${row.clone.rawFileCopyDiskWrittenMb} MB, WAL_LOG ${row.clone.rawWalLogSeconds} s); ` +
      `snapshot write ${row.restore.snapshotWriteSeconds} s by ${row.restore.snapshotWriteMethod}; ` +
      `restore ${row.restore.restoreSeconds} s by ${row.restore.method} (${row.restore.beyondCopySeconds} s beyond the copy; ` +
      `plain copy ${row.restore.plainCopySeconds} s → ${row.restore.ratioToPlainCopy}x); load ${row.load.join(' ')}`,
  );
}

function filesystemOf(dir: string): string {
  const found = spawnSync('findmnt', ['-n', '-o', 'FSTYPE', '-T', dir], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : 'unknown';
}

function requireReflinkTools(): void {
  if (process.getuid?.() !== 0) throw new Error('--reflink mounts an XFS image: run the bench as root (sudo npm run bench -- --reflink)');
  for (const tool of ['mkfs.xfs', 'mount', 'umount', 'findmnt']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      throw new Error(`--reflink needs ${tool}: install it (apt-get install xfsprogs util-linux)`);
    }
  }
}

/**
 * A sparse XFS image with reflink, loop-mounted at `<dir>/mnt` for `body`, then unmounted and
 * removed, whatever happens, on SIGINT/SIGTERM as well. A mount still busy (a server that outlived
 * its stop) is detached lazily: the kernel lets it go when its last user does.
 */
export async function withXfsImage<T>(dir: string, body: (mount: string) => Promise<T>): Promise<T> {
  const image = join(dir, 'xfs.img');
  const mount = join(dir, 'mnt');
  await mkdir(mount, { recursive: true });
  let mounted = false;
  const cleanup = (): void => {
    if (mounted && spawnSync('umount', [mount]).status !== 0) spawnSync('umount', ['-l', mount]);
    mounted = false;
    rmSync(dir, { recursive: true, force: true });
  };
  const interrupted = (signal: NodeJS.Signals): void => {
    cleanup();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  process.once('exit', cleanup);
  try {
    const file = await open(image, 'w');
    await file.truncate(IMAGE_GB * 2 ** 30);
    await file.close();
    run('mkfs.xfs', ['-q', '-m', 'reflink=1', image]);
    // discard: files removed inside give their space back to the host disk, not only to the image.
    run('mount', ['-o', 'loop,discard', image, mount]);
    mounted = true;
    await chmod(mount, 0o755);
    return await body(mount);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    process.off('exit', cleanup);
    cleanup();
  }
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.error?.message}`);
}
