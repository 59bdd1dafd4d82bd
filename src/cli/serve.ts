/**
 * Keeps the CLI alive while it serves a database (`up`, `cache serve`), until one of:
 * - a signal (Ctrl-C, SIGTERM, SIGHUP: the run's AbortSignal);
 * - the process that started it ends: its parent, or any process above it in its own process
 *   group (`npx aquaseed up` runs it under `sh -c` under npm: killing npm must stop it too, though
 *   the shell lingers);
 * - its stdin, when a pipe or socket, reaches its end (the process writing it is gone). A terminal
 *   or /dev/null is not watched: a background job has /dev/null, and must keep serving.
 */
import { fstatSync } from 'node:fs';
import { groupOf, ownerAlive, ownerOf, parentOf, type ProcessOwner } from '../host/process-owner.js';

export type ServeEnd = { by: 'signal'; signal: string } | { by: 'parent'; pid: number } | { by: 'stdin' };

export interface ServeOptions {
  /** Stop when the starting processes end (default true). */
  watchParent?: boolean;
  /** Stop when stdin (a pipe or socket) ends (default true). */
  watchStdin?: boolean;
}

export async function serveUntilStopped(signal: AbortSignal, options: ServeOptions = {}): Promise<ServeEnd> {
  const cleanups: (() => void)[] = [];
  try {
    return await new Promise<ServeEnd>((resolve) => {
      if (signal.aborted) return resolve({ by: 'signal', signal: String(signal.reason) });
      const onAbort = (): void => resolve({ by: 'signal', signal: String(signal.reason) });
      signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener('abort', onAbort));
      // Nothing else may hold the event loop while we serve (the server process is unref'd on purpose).
      const keepAlive = setInterval(() => {}, 1 << 30);
      cleanups.push(() => clearInterval(keepAlive));
      if (options.watchParent ?? true) cleanups.push(watchStarters((pid) => resolve({ by: 'parent', pid })));
      if ((options.watchStdin ?? true) && stdinIsPipe()) cleanups.push(watchStdin(() => resolve({ by: 'stdin' })));
    });
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
}

/** What `up` says when it stops for a reason other than a signal. */
export function describeEnd(end: ServeEnd): string | null {
  if (end.by === 'parent') return `the process that started it (pid ${end.pid}) ended`;
  if (end.by === 'stdin') return 'its input was closed';
  return null;
}

/** Polls the parent and the processes above it in this process group; calls `onGone` when one ends. */
function watchStarters(onGone: (pid: number) => void): () => void {
  const parent = process.ppid;
  const watched = starters();
  const timer = setInterval(() => {
    // Reparented: the parent is gone (and its pid possibly reused already).
    if (process.ppid !== parent) return onGone(parent);
    const gone = watched.find((owner) => !ownerAlive(owner));
    if (gone) onGone(gone.pid);
  }, 250);
  return () => clearInterval(timer);
}

/** The parent, and its ancestors while they are in this process's group (the job that started it). */
function starters(): ProcessOwner[] {
  const group = groupOf(process.pid);
  const found: ProcessOwner[] = [];
  for (let pid = process.ppid, depth = 0; pid > 1 && depth < 16; depth++) {
    const owner = ownerOf(pid);
    if (!owner) break;
    found.push(owner);
    if (groupOf(pid) !== group || pid === group) break;
    const next = parentOf(pid);
    if (next === undefined) break;
    pid = next;
  }
  return found;
}

function stdinIsPipe(): boolean {
  try {
    const info = fstatSync(0);
    return info.isFIFO() || info.isSocket();
  } catch {
    return false;
  }
}

function watchStdin(onEnd: () => void): () => void {
  const stdin = process.stdin;
  stdin.on('data', () => {}); // read and dropped: only its end matters
  stdin.once('end', onEnd);
  stdin.once('error', onEnd);
  stdin.resume();
  return () => {
    stdin.off('end', onEnd);
    stdin.pause();
    stdin.destroy();
  };
}
