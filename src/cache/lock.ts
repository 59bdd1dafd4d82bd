/**
 * A cross-process lock (a cache key being generated, an embedded cluster being started): a
 * directory holding its owner (pid and start time). It is made under a name of its own with the
 * owner inside, then renamed into place, so a lock never exists without its owner, and a rename
 * onto a lock that exists fails (it is never empty). A lock whose owner is gone (a killed process)
 * is taken over at once, however recent; a live owner is waited for, however long it takes.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { currentOwner, ownedName, ownerAlive, ownerOfName, readOwner, sameOwner, type ProcessOwner } from '../host/process-owner.js';

export interface LockOptions {
  /** Give up after this long (default 30 minutes: a full-saturation seed takes minutes). */
  timeoutMs?: number;
  /** Called once when the lock is held by another process and we start waiting. */
  onWait?: (ownerPid: number) => void;
  /** Stops the wait (AQUASEED_INTERRUPTED). */
  signal?: AbortSignal;
}

const OWNER = 'owner.json';
/** Prefixes of a lock's transient names beside it: being made, being taken over. */
const ACQUIRING = '.acquire-';
const TAKEN_OVER = '.stale-';

export async function withLock<T>(path: string, body: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  await acquire(path, options);
  try {
    return await body();
  } finally {
    await release(path);
  }
}

/**
 * Runs `body` under the lock if it can be had now (a dead owner's is taken over); returns
 * `undefined` without running it while a live process holds it.
 */
export async function withLockIfFree<T>(path: string, body: () => Promise<T>): Promise<T | undefined> {
  await mkdir(dirname(path), { recursive: true });
  let held = await tryAcquire(path);
  if (!held) {
    const owner = await readOwner(join(path, OWNER));
    if (owner && !ownerAlive(owner)) {
      await takeOver(path, owner);
      held = await tryAcquire(path);
    }
  }
  if (!held) return undefined;
  try {
    return await body();
  } finally {
    await release(path);
  }
}

async function acquire(path: string, options: LockOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let announced = false;
  await mkdir(dirname(path), { recursive: true });
  for (;;) {
    if (options.signal?.aborted) throw interrupted(path);
    if (await tryAcquire(path)) return;
    const owner = await readOwner(join(path, OWNER));
    if (owner && !ownerAlive(owner)) {
      await takeOver(path, owner);
      continue;
    }
    // No owner file: released (or being taken over) meanwhile; the next attempt finds out.
    if (!owner) continue;
    if (!announced && owner.pid !== process.pid) {
      options.onWait?.(owner.pid);
      announced = true;
    }
    if (Date.now() > deadline) {
      throw new AquaseedError(
        'AQUASEED_DATABASE_BUSY',
        `timed out waiting for process ${owner.pid} to release the lock ${path}`,
        `wait for process ${owner.pid} to finish (or stop it); a lock whose process is gone is taken over by itself`,
      );
    }
    await pause(200, options.signal);
  }
}

/** One attempt: the lock made aside with our owner file, renamed into place. */
async function tryAcquire(path: string): Promise<boolean> {
  const aside = join(dirname(path), ownedName(`${ACQUIRING}${basename(path)}-`));
  await mkdir(aside);
  try {
    await writeFile(join(aside, OWNER), JSON.stringify(currentOwner()));
    await rename(aside, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EISDIR') return false;
    throw error;
  } finally {
    await rm(aside, { recursive: true, force: true });
  }
}

/**
 * Moves a dead owner's lock aside and removes it. If another process took it over first and now
 * holds a fresh lock, the fresh one was moved instead: it is put back.
 */
async function takeOver(path: string, dead: ProcessOwner): Promise<void> {
  const aside = join(dirname(path), ownedName(`${TAKEN_OVER}${basename(path)}-`));
  try {
    await rename(path, aside);
  } catch {
    return; // gone meanwhile: someone else took it over or its owner released it
  }
  const moved = await readOwner(join(aside, OWNER));
  if (moved && !sameOwner(moved, dead) && ownerAlive(moved)) {
    await rename(aside, path).catch(() => {});
  }
  await rm(aside, { recursive: true, force: true });
}

async function release(path: string): Promise<void> {
  // Removed only while it is ours: a lock taken over from us (we were thought dead) stays its new owner's.
  const owner = await readOwner(join(path, OWNER));
  if (owner && !sameOwner(owner, currentOwner())) return;
  const aside = join(dirname(path), ownedName(`${TAKEN_OVER}${basename(path)}-`));
  await rename(path, aside).then(
    () => rm(aside, { recursive: true, force: true }),
    () => {},
  );
}

/** The pid holding the lock at `path`, if a live process does. */
export async function lockHolder(path: string): Promise<number | null> {
  const owner = await readOwner(join(path, OWNER));
  return owner && ownerAlive(owner) ? owner.pid : null;
}

/**
 * Leftovers of dead processes beside locks in `dir`: locks whose owner is gone, and locks being
 * made or taken over when their process was killed. Returns the paths removed.
 */
export async function sweepLocks(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    const transient = ownerOfName(name, ACQUIRING) ?? ownerOfName(name, TAKEN_OVER);
    if (transient) {
      if (ownerAlive(transient)) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    } else if (name.endsWith('.lock')) {
      const owner = await readOwner(join(path, OWNER));
      if (!owner || ownerAlive(owner)) continue;
      // As a waiter would: a lock re-taken meanwhile by a live process survives.
      await takeOver(path, owner);
      removed.push(path);
    }
  }
  return removed;
}

function interrupted(path: string): AquaseedError {
  return new AquaseedError('AQUASEED_INTERRUPTED', `interrupted while waiting for the lock ${path}; nothing was changed`, 'run it again');
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
