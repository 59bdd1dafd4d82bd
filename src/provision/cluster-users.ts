/**
 * The processes using a persistent embedded cluster's server (`aquaseed up`, `seed`, `verify`, …
 * at once): one lease file each in `<cluster>.users/`, named after its process (pid and start
 * time). The server runs while a live process holds a lease; the last one to leave stops it (its
 * `stop()`, its exit handler, or, when it was killed, its watchdog). Leases are added and the
 * server started or stopped under the cluster's lock (`<cluster>.lock`), so a process never joins a
 * server that is being stopped.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownedName, ownerAlive, ownerOfName, type ProcessOwner } from '../host/process-owner.js';

/** The directory of a cluster's leases, beside it. */
export function usersDir(clusterDir: string): string {
  return `${clusterDir}.users`;
}

/** The lock guarding a cluster's server start, leases and stop, beside it. */
export function clusterLock(clusterDir: string): string {
  return `${clusterDir}.lock`;
}

/** Records this process as a user of the cluster; returns its lease file. */
export function addUser(clusterDir: string): string {
  mkdirSync(usersDir(clusterDir), { recursive: true });
  const lease = join(usersDir(clusterDir), ownedName(''));
  writeFileSync(lease, '');
  return lease;
}

export function removeUser(lease: string): void {
  rmSync(lease, { force: true });
}

/** Live users of the cluster other than the lease `except`; leases of dead processes are removed. */
export function liveUsers(clusterDir: string, except?: string): ProcessOwner[] {
  const dir = usersDir(clusterDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const live: ProcessOwner[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (path === except) continue;
    const owner = ownerOfName(name, '');
    if (owner && ownerAlive(owner)) live.push(owner);
    else rmSync(path, { force: true });
  }
  return live;
}
