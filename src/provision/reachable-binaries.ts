/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to execute the packaged
 * binaries. Under a project directory only root may enter (mktemp -d, anything under /root: the
 * usual root CI container) it cannot, so the binaries (bin, lib, share) are copied once per
 * version into the cache directory (`<cache>/embedded/binaries/<version>-<platform>-<arch>`, which
 * the postgres user reaches: see src/host/cache-dir.ts) and run from there.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { copyTree } from '../host/copy-tree.js';
import { ownedName } from '../host/process-owner.js';
import type { EmbeddedBinaries } from './embedded-binaries.js';

export interface RunAs {
  uid: number;
  gid: number;
}

const COPIED = ['bin', 'lib', 'share'] as const;

/**
 * `binaries` when `runAs` can execute them, else a copy of them it can, in `copies` (made once,
 * then reused).
 */
export async function reachableBinaries(binaries: EmbeddedBinaries, runAs: RunAs | null, copies: string): Promise<EmbeddedBinaries> {
  if (!runAs || runs(binaries.postgres, runAs)) return binaries;
  const native = dirname(dirname(binaries.postgres));
  const dir = join(copies, `${packageVersion(native)}-${process.platform}-${process.arch}`);
  const copy = at(dir, binaries);
  if (!(await trusted(dir))) {
    await publishCopy(native, dir).catch((error: unknown) => {
      throw new AquaseedError(
        'AQUASEED_EMBEDDED_START',
        `PostgreSQL runs as the postgres user (it refuses to run as root), which cannot reach the binaries in ${native}, ` +
          `and copying them to ${dir} failed: ${(error as Error).message}`,
        'make the project directory traversable (chmod o+x on it and its parents), free space in the cache directory, or pass a database URL (server: { url }, --database-url) to use a server of your own',
        { cause: error },
      );
    });
  }
  if (runs(copy.postgres, runAs)) return copy;
  throw new AquaseedError(
    'AQUASEED_EMBEDDED_START',
    `PostgreSQL runs as the postgres user (it refuses to run as root), which can reach neither the binaries in ${native} nor their copy in ${dir}`,
    'use a cache directory the postgres user can enter (AQUASEED_CACHE_DIR), make the project directory traversable (chmod o+x), or pass a database URL (server: { url }, --database-url) to use a server of your own',
  );
}

function at(dir: string, binaries: EmbeddedBinaries): EmbeddedBinaries {
  return { ...binaries, postgres: join(dir, 'bin', 'postgres'), initdb: join(dir, 'bin', 'initdb') };
}

function runs(postgres: string, runAs: RunAs): boolean {
  return spawnSync(postgres, ['--version'], { ...runAs, stdio: 'ignore' }).status === 0;
}

/** The binaries package's version (its native/ directory's parent holds package.json). */
function packageVersion(native: string): string {
  try {
    return (JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * A copy made by us earlier: owned by our user and writable by no one else, so nobody could have
 * put other binaries there (the temp directory is shared).
 */
async function trusted(dir: string): Promise<boolean> {
  let info;
  try {
    info = lstatSync(dir);
  } catch {
    return false;
  }
  const writableByOthers = (info.mode & 0o022) !== 0;
  if (!info.isDirectory() || info.uid !== process.getuid?.() || writableByOthers) {
    throw new AquaseedError(
      'AQUASEED_EMBEDDED_START',
      `${dir} should hold aquaseed's copy of the PostgreSQL binaries, but it is not a directory owned by this user and writable by it alone`,
      `remove ${dir} (it was not made by aquaseed), or use another cache directory (AQUASEED_CACHE_DIR)`,
    );
  }
  const parts = await Promise.all(COPIED.map((part) => stat(join(dir, part)).then((s) => s.isDirectory(), () => false)));
  return parts.every(Boolean);
}

/** Copies bin, lib and share into a fresh directory and renames it into place (a lost race keeps the winner's). */
async function publishCopy(native: string, dir: string): Promise<void> {
  const partial = join(dirname(dir), ownedName(`${basename(dir)}.copy-`));
  try {
    await mkdir(dirname(dir), { recursive: true, mode: 0o755 });
    await mkdir(partial, { mode: 0o755 });
    for (const part of COPIED) await copyTree(join(native, part), join(partial, part));
    await chmodReadable(partial);
    await rename(partial, dir).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

/** Directories 0755, files readable (and executable where they were) by everyone; links as they are. */
async function chmodReadable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await chmodReadable(path);
    else await chmod(path, (await stat(path)).mode & 0o111 ? 0o755 : 0o644);
  }
}
