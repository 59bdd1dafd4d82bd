/** How a seed stops: interrupted by its signal, or failed while loading (nothing published either way). */
import { AquaseedError } from '../../core/errors.js';

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AquaseedError('AQUASEED_INTERRUPTED', 'the seed was interrupted; nothing was published', 'run it again');
  }
}

export function wrapLoadError(error: unknown, database: string): unknown {
  if (error instanceof AquaseedError) return error;
  return new AquaseedError(
    'AQUASEED_LOAD_FAILED',
    `seeding database "${database}" failed: ${(error as Error).message}; nothing was published`,
    'run it again; if it fails the same way, report it with the full error (its cause and stack; the CLI prints them with --debug)',
    { cause: error },
  );
}
