/** How a seed stops: interrupted by its signal, or failed while loading (nothing published either way). */
import { AquaseedError } from '../../core/errors.js';
import { isNoSpace } from '../../cache/disk-full.js';

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw interrupted();
}

function interrupted(): AquaseedError {
  return new AquaseedError('AQUASEED_INTERRUPTED', 'the seed stopped before it finished; nothing was published, the target database and the cache are as they were', 'run it again');
}

/** A load failure as AQUASEED_LOAD_FAILED; once the seed's signal fired, whatever broke on the way out is the interrupt (a worker's "task aborted", say). */
export function wrapLoadError(error: unknown, database: string, signal?: AbortSignal): unknown {
  if (signal?.aborted && !(error instanceof AquaseedError && error.code !== 'AQUASEED_LOAD_FAILED')) return interrupted();
  // A cache entry written while loading ran out of room: the cache says where (AQUASEED_DISK_FULL).
  if (error instanceof AquaseedError || isNoSpace(error)) return error;
  return new AquaseedError(
    'AQUASEED_LOAD_FAILED',
    `seeding database "${database}" failed: ${(error as Error).message}; nothing was published`,
    'run it again; if it fails the same way, report it with the full error (its cause and stack; the CLI prints them with --debug)',
    { cause: error },
  );
}
