/**
 * A full disk foreseen: before an entry is written, the bytes it will take (the source tree's size)
 * are held against the free space of the cache directory, and a shortfall is refused up front as
 * AQUASEED_DISK_FULL naming the directory, what was needed and what to prune, instead of an
 * ENOSPC halfway through the copy.
 */
import { readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { DISK_FULL_FIX } from './disk-full.js';

/** Room left for other writers on the same disk (WAL, logs) beyond the entry itself. */
const HEADROOM = 1.05;

/** Bytes of every regular file under `dir` (stat only, nothing read). */
export async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await treeBytes(path);
    else if (entry.isFile()) total += (await stat(path).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** Free bytes an unprivileged writer may use on the filesystem holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

const mb = (bytes: number): string => `${Math.ceil(bytes / 1024 / 1024).toLocaleString('en-US')} MB`;

/** Throws AQUASEED_DISK_FULL when `dir` has less room than `needed` bytes (and a little headroom). */
export async function ensureRoom(dir: string, needed: number, what: string, free: (dir: string) => Promise<number> = freeBytes): Promise<void> {
  const available = await free(dir);
  if (available >= needed * HEADROOM) return;
  throw new AquaseedError(
    'AQUASEED_DISK_FULL',
    `${what} needs about ${mb(needed)} and the device holding ${dir} has ${mb(available)} free; nothing was written`,
    DISK_FULL_FIX,
  );
}
