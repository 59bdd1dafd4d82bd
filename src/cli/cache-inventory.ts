/**
 * Everything in a cache directory, each part with its kind and the bytes it takes on disk, for
 * `aquaseed cache ls` (the total is what `du` says of the directory) and `cache prune --all`:
 *
 *   physical  snapshots/<key>-pg<N>            a stopped cluster's files, restored by copying
 *   logical   snapshots/<key>-pg<N>-logical    the farm's COPY files, restored into any server
 *   partial   snapshots/.partial-…             an entry being written (by a live process)
 *   cluster   embedded/pg<N>/<name>            a persistent cluster (`aquaseed seed`/`up`), the
 *                                               template, a test run's throwaway cluster (runs/…)
 *   kept      embedded/pg<N>/kept-<run>        a cluster holding kept databases of failed tests
 *   binaries  embedded/binaries/<version>-…    as root: PostgreSQL's binaries, copied for `postgres`
 *   other     directories, locks, leases, records of kept databases, server logs
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DiskUsage } from '../host/disk-usage.js';
import { ownerAlive, ownerOfName } from '../host/process-owner.js';
import { PARTIAL, SnapshotStore } from '../cache/snapshot-store.js';
import { liveServer } from '../provision/embedded-cluster.js';
import { liveUsers } from '../provision/cluster-users.js';
import { copyMethodIn, type FilesystemCopy } from '../cache/copy-method.js';

export type InventoryKind = 'physical' | 'logical' | 'partial' | 'cluster' | 'kept' | 'binaries' | 'other';

export interface InventoryItem {
  kind: InventoryKind;
  /** What it is, in a word or two: a preset, a cluster's name. */
  name: string;
  path: string;
  bytes: number;
  /** What else a reader wants to know: the key and rows of a snapshot, the state of a cluster. */
  detail: string;
  preset?: string;
  key?: string;
  rows?: number;
  pgMajor?: number;
  /** For a cluster: the port its server listens on, if one runs. */
  port?: number;
  /** For a cluster or partial entry: the live processes using it (then prune leaves it). */
  inUseBy?: number[];
}

export interface Inventory {
  cacheDir: string;
  items: InventoryItem[];
  /** Every byte under the cache directory: the items' and the rest ("other"). */
  bytes: number;
  /** How restores from it copy (src/cache/copy-method.ts); null when the directory does not exist yet. */
  copyMethod: FilesystemCopy | null;
}

const number = new Intl.NumberFormat('en-US');

export async function takeInventory(cacheDir: string): Promise<Inventory> {
  // Probed first: its scratch file is gone before anything is measured.
  const copyMethod = await copyMethodIn(cacheDir);
  const usage = new DiskUsage();
  const items: InventoryItem[] = [];
  const snapshots = join(cacheDir, 'snapshots');
  const store = new SnapshotStore(snapshots);
  for (const { dir, manifest } of await store.list()) {
    const name = dir.slice(snapshots.length + 1);
    const kind = name.endsWith('-logical') ? 'logical' : 'physical';
    items.push({
      kind,
      name: manifest?.preset ?? '(unreadable)',
      path: dir,
      bytes: await usage.of(dir),
      detail: manifest ? `${manifest.key.slice(0, 12)}  PostgreSQL ${manifest.pgMajor}  ${number.format(manifest.totalRows)} rows` : 'manifest unreadable',
      ...(manifest ? { preset: manifest.preset, key: manifest.key, rows: manifest.totalRows, pgMajor: manifest.pgMajor } : {}),
    });
  }
  for (const name of await readdir(snapshots).catch(() => [] as string[])) {
    const writer = ownerOfName(name, PARTIAL);
    if (!writer) continue;
    const alive = ownerAlive(writer);
    items.push({ kind: 'partial', name: 'being written', path: join(snapshots, name), bytes: await usage.of(join(snapshots, name)), detail: alive ? `by pid ${writer.pid}` : `left by killed pid ${writer.pid}`, ...(alive ? { inUseBy: [writer.pid] } : {}) });
  }
  const embedded = join(cacheDir, 'embedded');
  for (const name of await readdir(embedded).catch(() => [] as string[])) {
    if (name === 'binaries') {
      for (const copy of await readdir(join(embedded, name)).catch(() => [] as string[])) {
        if (copy.includes('.copy-')) continue; // being made: counted with the rest
        const path = join(embedded, name, copy);
        items.push({ kind: 'binaries', name: copy, path, bytes: await usage.of(path), detail: 'PostgreSQL binaries the postgres user can run (as root)' });
      }
    } else if (/^pg\d+$/.test(name)) {
      items.push(...(await clustersOf(join(embedded, name), usage)));
    }
  }
  const bytes = items.reduce((sum, item) => sum + item.bytes, 0);
  // What is left: the directories themselves, locks, leases, logs, records.
  const rest = await usage.of(cacheDir);
  if (rest > 0) items.push({ kind: 'other', name: 'the rest', path: cacheDir, bytes: rest, detail: 'directories, locks, leases and records' });
  return { cacheDir, items, bytes: bytes + rest, copyMethod };
}

async function clustersOf(major: string, usage: DiskUsage): Promise<InventoryItem[]> {
  const items: InventoryItem[] = [];
  const pg = major.slice(major.lastIndexOf('pg') + 2);
  const cluster = async (kind: InventoryKind, name: string, path: string, throwaway: boolean): Promise<void> => {
    const server = liveServer(path);
    const users = throwaway ? [] : liveUsers(path).map((owner) => owner.pid);
    const runner = throwaway ? ownerOfName(name.slice('runs/'.length), '') : null;
    const inUseBy = runner && ownerAlive(runner) ? [runner.pid] : users;
    const state = server ? `serving on port ${server.port}` : 'stopped';
    const by = inUseBy.length > 0 ? ` for pid ${inUseBy.join(', ')}` : '';
    items.push({
      kind,
      name,
      path,
      bytes: await usage.of(path),
      detail: `PostgreSQL ${pg}, ${name === 'template' ? 'the template new clusters are copied from' : `${state}${by}`}`,
      pgMajor: Number(pg),
      ...(server ? { port: server.port } : {}),
      ...(inUseBy.length > 0 ? { inUseBy } : {}),
    });
  };
  for (const name of await readdir(major).catch(() => [] as string[])) {
    const path = join(major, name);
    if (name === 'runs') {
      for (const run of await readdir(path).catch(() => [] as string[])) {
        if (!run.includes('.')) await cluster('cluster', `runs/${run}`, join(path, run), true);
      }
    } else if (!name.includes('.')) {
      await cluster(name.startsWith('kept-') ? 'kept' : 'cluster', name, path, false);
    }
  }
  return items;
}

/**
 * Removes every item not in use (`cache prune --all`): snapshots, clusters no live process uses
 * (their servers stopped), the binaries' copy when no server runs. Returns what it removed and a
 * line for each item it left.
 */
export async function removeUnused(inventory: Inventory): Promise<{ removed: string[]; left: string[] }> {
  const removed: string[] = [];
  const left: string[] = [];
  const serving = inventory.items.some((item) => item.port !== undefined);
  for (const item of inventory.items) {
    if (item.kind === 'other' || item.kind === 'partial') continue;
    if (item.inUseBy || item.port !== undefined) {
      left.push(`left ${item.kind} ${item.name}: in use${item.inUseBy ? ` by pid ${item.inUseBy.join(', ')}` : ''}${item.port ? ` (serving on port ${item.port})` : ''}; stop that first`);
      continue;
    }
    if (item.kind === 'binaries' && serving) {
      left.push(`left binaries ${item.name}: a server runs from them`);
      continue;
    }
    await rm(item.path, { recursive: true, force: true });
    // A persistent cluster's leases and lock go with it.
    if (item.kind === 'cluster' || item.kind === 'kept') {
      await rm(`${item.path}.users`, { recursive: true, force: true });
    }
    removed.push(item.path);
  }
  return { removed, left };
}
