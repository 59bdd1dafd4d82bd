/**
 * What a killed aquaseed leaves behind under a cluster root: servers whose owner is gone (stopped
 * by the next process that starts a server there) and throwaway clusters (removed, or kept aside
 * when they hold databases of failed tests).
 */
import { readFileSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ownerAlive, readOwner, type ProcessOwner } from '../host/process-owner.js';
import { keptInCluster, retireKeptCluster } from './kept-cluster.js';
import { liveServer, OWNER_FILE } from './embedded-cluster.js';
import { stopByPid } from './embedded-process.js';

/**
 * Stops every server under `root` whose owner is gone (a killed aquaseed left it running, with
 * nothing to ever stop it), except the persistent cluster `adopting`, which the caller takes over.
 */
export async function stopStaleServers(root: string, adopting: string | undefined, onNotice?: (message: string) => void): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]); // no root yet: nothing runs under it
  for (const name of names) {
    if (name === adopting || name === 'runs' || name === 'template' || name.includes('.')) continue;
    const dir = join(root, name);
    const server = liveServer(dir);
    if (!server || !ownsDataDir(server.pid, dir)) continue;
    const owner = await readOwner(join(dir, OWNER_FILE));
    if (owner && ownerAlive(owner)) continue;
    await stopByPid(server.pid);
    onNotice?.(
      `stopped the embedded server on port ${server.port} (${dir}) that a killed aquaseed process${describeOwner(owner)} had left running`,
    );
  }
}

export function describeOwner(owner: ProcessOwner | null): string {
  return owner ? ` (pid ${owner.pid})` : '';
}

/** Removes throwaway clusters whose owning process died without cleaning up (SIGKILL, crash). */
export async function sweepAbandonedRuns(runs: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(runs);
  } catch {
    return;
  }
  for (const name of entries) {
    const dir = join(runs, name);
    const owner = await readOwner(join(dir, OWNER_FILE));
    if (!owner) {
      // A copy that never got its owner file: abandoned if older than a minute.
      // Gone meanwhile (its owner finished): counts as new, and is skipped.
      const age = Date.now() - (await stat(dir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age < 60_000) continue;
    } else if (ownerAlive(owner)) {
      continue;
    }
    const server = liveServer(dir);
    if (server && ownsDataDir(server.pid, dir)) await stopByPid(server.pid, 'SIGQUIT');
    // Tidying after someone else: a cluster another sweep moved or removed first is no failure of this run.
    if (keptInCluster(dir).length > 0) await retireKeptCluster(dir).catch(() => {});
    else await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

function ownsDataDir(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
  } catch {
    return false;
  }
}
