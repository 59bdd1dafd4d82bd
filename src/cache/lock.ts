/**
 * A cross-process lock on a cache key: `mkdir` is atomic on every filesystem we care about. The
 * owner's pid is recorded so a lock left by a killed process is taken over instead of waited on.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { ownerAlive, readOwner, writeOwner } from '../host/process-owner.js';

export interface LockOptions {
  /** Give up after this long (default 30 minutes: a full-saturation seed takes minutes). */
  timeoutMs?: number;
  /** Called once when the lock is held by another process and we start waiting. */
  onWait?: (ownerPid: number | null) => void;
}

export async function withLock<T>(path: string, body: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let announced = false;
  for (;;) {
    try {
      await mkdir(path, { recursive: false });
      await writeOwner(join(path, 'owner.json'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        await mkdir(join(path, '..'), { recursive: true });
        continue;
      }
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = await lockOwner(path);
      if (owner === 'stale') {
        await rm(path, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        options.onWait?.(owner);
        announced = true;
      }
      if (Date.now() > deadline) {
        throw new AquaseedError(
          'AQUASEED_DATABASE_BUSY',
          `timed out waiting for process ${owner ?? '?'} to finish generating the snapshot locked at ${path}`,
          'wait for that process to finish, or remove the lock directory if no aquaseed process is running',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await body();
  } finally {
    await rm(path, { recursive: true, force: true });
  }
}

/** The owning pid, or 'stale' when the owner is gone (or never wrote its pid and is old). */
async function lockOwner(path: string): Promise<number | null | 'stale'> {
  const owner = await readOwner(join(path, 'owner.json'));
  if (owner) {
    if (owner.pid === process.pid) return owner.pid; // another call in this process: wait for it
    return ownerAlive(owner) ? owner.pid : 'stale';
  }
  // Released meanwhile: counts as new (not stale), and the next mkdir finds it gone.
  const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
  return age > 10_000 ? 'stale' : null;
}
