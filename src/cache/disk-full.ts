import { AquaseedError } from '../core/errors.js';

/** Errno codes meaning "this filesystem has no room for what we write". */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);

/** What to do about a full cache disk: one wording for the foreseen case and the one that happened. */
export const DISK_FULL_FIX =
  'free space there (`npx aquaseed cache prune --all` removes cached farms), or point cacheDir (--cache-dir) or AQUASEED_CACHE_DIR at a bigger disk; cache: false (--no-cache) skips writing snapshots';

/** True for a write that failed for want of space (ENOSPC, EDQUOT). */
export function isNoSpace(error: unknown): boolean {
  return NO_SPACE.has((error as NodeJS.ErrnoException | null)?.code ?? '');
}

/**
 * A write into `dir` that failed for want of space, as AQUASEED_DISK_FULL naming the directory;
 * any other error unchanged. A full disk is the one cache failure the user fixes outside aquaseed.
 */
export function diskFullError(error: unknown, dir: string, what: string, outcome = 'the cache entry was not published'): unknown {
  if (error instanceof AquaseedError || !isNoSpace(error)) return error;
  return new AquaseedError(
    'AQUASEED_DISK_FULL',
    `no space left on the device holding ${dir} while writing ${what}; ${outcome}`,
    DISK_FULL_FIX,
    { cause: error },
  );
}
