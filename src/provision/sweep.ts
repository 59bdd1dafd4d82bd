/**
 * Crash-only cleanup: whatever a killed aquaseed process left in the cache directory is found and
 * removed by the next aquaseed command, whichever it is. Ownership is read from the leftover
 * itself (names and files carry their process: pid and start time, src/host/process-owner.ts): a
 * leftover whose process is gone is removed however recent, and one whose process lives is left
 * alone however old.
 *
 * What a killed process can leave, and where:
 *   snapshots/.partial-<owner>-…           an entry being written
 *   snapshots/<entry>.lock                 the lock of a key being generated
 *   embedded/pg<N>/template.init-<owner>…  a cluster template being made (and its .pw password file)
 *   embedded/pg<N>/<cluster>.copy-<owner>… a cluster being copied
 *   embedded/pg<N>/runs/<owner>-…          a throwaway cluster, perhaps with its server running
 *   embedded/pg<N>/<cluster>               a persistent cluster's server, no live process using it
 *   embedded/pg<N>/<cluster>.users/<owner> a lease of a process on a shared server
 *   embedded/binaries/<version>.copy-<owner>… a copy of the binaries being made (as root)
 * Servers are normally stopped by their watchdog (server-watchdog.ts) within seconds of their
 * process's death; the sweep covers a watchdog that was killed too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DiskUsage } from '../host/disk-usage.js';
import { isRunning, ownerAlive, ownerOfName, readOwner, type ProcessOwner } from '../host/process-owner.js';
import { sweepLocks, withLockIfFree } from '../cache/lock.js';
import { PARTIAL, SnapshotStore } from '../cache/snapshot-store.js';
import { keptInCluster, retireKeptCluster } from './kept-cluster.js';
import { COPY_INFIX, liveServer, OWNER_FILE, TEMPLATE_STAGING } from './embedded-cluster.js';
import { stopByPid } from './embedded-process.js';
import { clusterLock, liveUsers } from './cluster-users.js';

export type LeftoverKind = 'partial snapshot' | 'half-made cluster template' | 'password file' | 'half-copied cluster' | 'throwaway cluster' | 'lock' | 'server';

export interface Leftover {
  kind: LeftoverKind;
  path: string;
  /** Bytes it took on disk (0 for a server). */
  bytes: number;
  /** The killed process it was left by, where known. */
  pid?: number;
  /** For a server: its port. */
  port?: number;
}

export interface SweepOptions {
  /** A persistent cluster whose stale server the caller adopts (`aquaseed up`): left running. */
  adopting?: string;
}

/** Sweeps the whole cache directory (see the module comment); returns what it removed or stopped. */
export async function sweepCache(cacheDir: string, options: SweepOptions = {}): Promise<Leftover[]> {
  const snapshots = join(cacheDir, 'snapshots');
  const usage = new DiskUsage();
  const leftovers: Leftover[] = [];
  // Measured before the prune removes them: the line says what was given back.
  for (const name of await readdir(snapshots).catch(() => [] as string[])) {
    const writer = ownerOfName(name, PARTIAL);
    if (!writer || ownerAlive(writer)) continue;
    await stopHelpers(join(snapshots, name));
    leftovers.push({ kind: 'partial snapshot', path: join(snapshots, name), bytes: await usage.of(join(snapshots, name)), pid: writer.pid });
  }
  const removed = new Set(await new SnapshotStore(snapshots).prune());
  const swept = leftovers.filter((leftover) => removed.has(leftover.path));
  for (const path of removed) if (path.endsWith('.lock')) swept.push({ kind: 'lock', path, bytes: 0 });
  return [...swept, ...(await sweepEmbedded(join(cacheDir, 'embedded'), options))];
}

/** Sweeps the cache directory and says what it did in one line (nothing when there was nothing); never fails. */
export async function sweepAndSay(cacheDir: string, say: (line: string) => void, options: SweepOptions = {}): Promise<void> {
  // Tidying after others never fails the caller: what cannot be removed now is left for later.
  const line = describeSweep(await sweepCache(cacheDir, options).catch(() => []), cacheDir);
  if (line) say(line);
}

/** Sweeps the embedded clusters under `root` (`<cache>/embedded`). */
export async function sweepEmbedded(root: string, options: SweepOptions = {}): Promise<Leftover[]> {
  const leftovers: Leftover[] = [];
  const usage = new DiskUsage();
  const remove = async (kind: LeftoverKind, path: string, owner: ProcessOwner | null): Promise<void> => {
    await stopHelpers(path);
    const bytes = await usage.of(path);
    await rm(path, { recursive: true, force: true }).catch(() => {}); // another sweep at it: no failure of this command
    leftovers.push({ kind, path, bytes, ...(owner ? { pid: owner.pid } : {}) });
  };
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (name === 'binaries') {
      for (const copy of await readdir(join(root, name)).catch(() => [] as string[])) {
        const owner = copyOwner(copy);
        if (owner && !ownerAlive(owner)) await remove('half-copied cluster', join(root, name, copy), owner);
      }
    } else if (/^pg\d+$/.test(name)) {
      await sweepMajor(join(root, name), options, leftovers, remove);
    }
  }
  return leftovers;
}

type Remove = (kind: LeftoverKind, path: string, owner: ProcessOwner | null) => Promise<void>;

async function sweepMajor(dir: string, options: SweepOptions, leftovers: Leftover[], remove: Remove): Promise<void> {
  for (const path of await sweepLocks(dir)) leftovers.push({ kind: 'lock', path, bytes: 0 });
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    const staging = ownerOfName(name, TEMPLATE_STAGING);
    const copy = copyOwner(name);
    if (staging && !ownerAlive(staging)) {
      await remove(name.endsWith('.pw') ? 'password file' : 'half-made cluster template', path, staging);
    } else if (copy && !ownerAlive(copy)) {
      await remove('half-copied cluster', path, copy);
    } else if (name === 'runs') {
      await sweepRuns(path, leftovers, remove);
    } else if (!name.includes('.') && name !== 'template' && name !== options.adopting) {
      await stopUnused(path, leftovers);
    }
  }
}

/** Throwaway clusters whose process is gone: their server stopped, the cluster removed (or kept aside, holding kept databases). */
async function sweepRuns(runs: string, leftovers: Leftover[], remove: Remove): Promise<void> {
  for (const name of await readdir(runs).catch(() => [] as string[])) {
    const path = join(runs, name);
    const copy = copyOwner(name);
    if (copy) {
      if (!ownerAlive(copy)) await remove('half-copied cluster', path, copy);
      continue;
    }
    // Named after its process; one made by an older version names it in its owner file only.
    const owner = ownerOfName(name, '') ?? (await readOwner(join(path, OWNER_FILE)));
    if (!owner || ownerAlive(owner)) continue;
    const server = liveServer(path);
    if (server) {
      await stopByPid(server.pid, 'SIGQUIT');
      leftovers.push({ kind: 'server', path, bytes: 0, pid: owner.pid, port: server.port });
    }
    if (keptInCluster(path).length > 0) await retireKeptCluster(path).catch(() => {});
    else await remove('throwaway cluster', path, owner);
  }
}

/** A persistent cluster's server that no live process uses (its users and their watchdogs were killed): stopped. */
async function stopUnused(dir: string, leftovers: Leftover[]): Promise<void> {
  if (!liveServer(dir)) return;
  // Under the cluster's lock, so that no process joins the server while it is being stopped; a
  // process holding the lock is about to use or stop it itself.
  await withLockIfFree(clusterLock(dir), async () => {
    const server = liveServer(dir);
    if (!server || liveUsers(dir).length > 0) return;
    const owner = await readOwner(join(dir, OWNER_FILE));
    await stopByPid(server.pid);
    leftovers.push({ kind: 'server', path: dir, bytes: 0, ...(owner ? { pid: owner.pid } : {}), port: server.port });
  });
}

/**
 * Stops what a killed process had started to make `path` and that outlived it (a `cp` copying
 * into it, an initdb filling it): its work is for no one now, and it would write on while the
 * leftover is removed. Found by a command line naming the path (where /proc tells).
 */
async function stopHelpers(path: string): Promise<void> {
  const helpers = processesNaming(path);
  for (const pid of helpers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  const deadline = Date.now() + 5000;
  while (helpers.some(isRunning) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

function processesNaming(path: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // ended while we looked
    }
    if (args.some((arg) => arg === path || arg.startsWith(`${path}/`) || arg.endsWith(`=${path}`))) found.push(Number(entry));
  }
  return found;
}

/** The owner a `<name>.copy-<owner>…` carries. */
function copyOwner(name: string): ProcessOwner | null {
  const at = name.indexOf(COPY_INFIX);
  return at < 0 ? null : ownerOfName(name.slice(at), COPY_INFIX);
}

const megabytes = (bytes: number): string => `${Math.max(1, Math.round(bytes / 2 ** 20))} MB`;

/**
 * The one line that says what a sweep did, e.g. `cleaned up after a killed aquaseed process (pid
 * 4242) in /cache: stopped a server left running (port 5433); removed a throwaway cluster (203 MB), …`;
 * null when it found nothing.
 */
export function describeSweep(leftovers: readonly Leftover[], cacheDir: string): string | null {
  const visible = leftovers.filter((leftover) => leftover.kind !== 'lock');
  if (visible.length === 0) return null;
  const pids = [...new Set(visible.flatMap((leftover) => (leftover.pid ? [leftover.pid] : [])))];
  const who = pids.length === 0 ? 'killed aquaseed processes' : pids.length === 1 ? `a killed aquaseed process (pid ${pids[0]})` : `killed aquaseed processes (pids ${pids.join(', ')})`;
  const servers = visible.filter((leftover) => leftover.kind === 'server');
  const parts: string[] = [];
  if (servers.length > 0) parts.push(`stopped ${servers.length === 1 ? 'a server' : `${servers.length} servers`} left running (port ${servers.map((s) => s.port).join(', ')})`);
  const files = visible.filter((leftover) => leftover.kind !== 'server');
  if (files.length > 0) {
    const byKind = new Map<LeftoverKind, Leftover[]>();
    for (const leftover of files) byKind.set(leftover.kind, [...(byKind.get(leftover.kind) ?? []), leftover]);
    const items = [...byKind].map(([kind, list]) => {
      const bytes = list.reduce((sum, leftover) => sum + leftover.bytes, 0);
      const size = kind === 'password file' ? '' : ` (${megabytes(bytes)})`;
      return `${list.length === 1 ? `a ${kind}` : `${list.length} ${kind}s`}${size}`;
    });
    parts.push(`removed ${items.join(', ')}`);
  }
  return `cleaned up after ${who} in ${cacheDir}: ${parts.join('; ')}`;
}
