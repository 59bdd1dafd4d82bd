/**
 * The embedded server processes this process runs: started on a free port (tuned for loading) in a
 * session of their own, so a Ctrl-C in the terminal reaches aquaseed alone, which then stops them
 * in order; waited for until they answer; each watched by a watchdog (server-watchdog.ts) that
 * stops it if this process dies without doing so; stopped cleanly, and at once when the process
 * exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { isRunning, processStart, type ProcessOwner } from '../host/process-owner.js';
import { withClient } from '../db/client.js';
import type { EmbeddedBinaries } from './embedded-binaries.js';
import type { RunAs } from './reachable-binaries.js';
import { freePort } from './free-port.js';
import { loadTuningFlags } from './load-tuning.js';
import { dropAllBut, keptInCluster, retireKeptCluster } from './kept-cluster.js';
import { embeddedUrl } from './embedded-cluster.js';
import { liveUsers, removeUser } from './cluster-users.js';
import { ServerWatchdog } from './server-watchdog.js';

export interface Running {
  /** Our child process; null for a server another process started (joined or adopted). */
  child: ChildProcess | null;
  /** The postmaster. */
  server: ProcessOwner;
  dir: string;
  throwaway: boolean;
  port: number;
  /** The address it listens on (`listen_addresses`). */
  host: string;
  /** This process's lease on a shared (persistent) cluster. */
  lease?: string;
  watchdog: ServerWatchdog | null;
}

export interface SpawnOptions {
  onLog?: (line: string) => void;
  /** The port to try first (default: a free one). */
  port?: number;
  /** listen_addresses (default 127.0.0.1). */
  host?: string;
  /** This process's lease on the (shared) cluster, for the watchdog. */
  lease?: string;
  /** Write the server's output to this file instead of a pipe (a server that may outlive us). */
  logFile?: string;
}

export const DEFAULT_HOST = '127.0.0.1';

const running = new Set<Running>();
let exitHookInstalled = false;

export async function spawnServer(dir: string, binaries: EmbeddedBinaries, runAs: RunAs | null, throwaway: boolean, options: SpawnOptions = {}): Promise<Running> {
  let lastError: AquaseedError | null = null;
  const host = options.host ?? DEFAULT_HOST;
  for (let attempt = 0; attempt < 5; attempt++) {
    // A port can be taken between the probe and the server's bind (or was taken all along, for a
    // preferred one): the server then fails with "could not bind" and we try another. A port the
    // caller asked for is tried alone: another one would not be what they asked for.
    const port = attempt === 0 && options.port ? options.port : await freePort();
    const args = ['-D', dir, '-p', String(port), '-c', `listen_addresses=${host}`, '-c', 'unix_socket_directories='];
    args.push(...loadTuningFlags());
    const logFd = options.logFile ? openSync(options.logFile, 'w') : null;
    let child: ChildProcess;
    try {
      child = spawn(binaries.postgres, args, {
        // A session (and process group) of its own: the terminal's Ctrl-C is aquaseed's to handle.
        detached: true,
        stdio: ['ignore', 'ignore', logFd ?? 'pipe'],
        ...(runAs ?? {}),
        env: { ...process.env, LC_MESSAGES: 'C' },
      });
    } finally {
      if (logFd !== null) closeSync(logFd);
    }
    const log: string[] = [];
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (!line) continue;
        log.push(line);
        if (log.length > 50) log.shift();
        options.onLog?.(line);
      }
    });
    child.on('error', () => {}); // reported by waitReady: the process never answers
    const pid = child.pid ?? 0;
    const start = processStart(pid);
    const server: ProcessOwner = start === undefined ? { pid } : { pid, start };
    // Watched before it answers: a process killed while its server starts leaves no server.
    const watchdog = pid > 0 ? ServerWatchdog.start({ server, dataDir: dir, throwaway, ...(options.lease ? { lease: options.lease } : {}) }) : null;
    const entry: Running = { child, server, dir, throwaway, port, host, watchdog, ...(options.lease ? { lease: options.lease } : {}) };
    running.add(entry);
    installExitHook();
    if (await waitReady(child, embeddedUrl(port, 'postgres', host), dir)) {
      child.unref();
      (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
      return entry;
    }
    running.delete(entry);
    watchdog?.end();
    const output = options.logFile ? tail(options.logFile) : log.join('\n');
    lastError = new AquaseedError(
      'AQUASEED_EMBEDDED_START',
      `the embedded PostgreSQL server in ${dir} did not start:\n${output || '(no output)'}`,
      options.port && /could not bind|address already in use/i.test(output)
        ? `port ${options.port} is taken: choose another (--port) or leave the port to aquaseed`
        : 'see the server output above; remove the directory to start from a fresh cluster, or pass a database URL (server: { url }, --database-url) to use a server of your own',
    );
    if (options.port || !/could not bind|address already in use/i.test(output)) break;
  }
  throw lastError as AquaseedError;
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-50).join('\n').trim();
  } catch {
    return '';
  }
}

/**
 * Polls until our server accepts a connection, or the process exits (false). The server answering
 * must be ours: when another cluster took the port first, ours fails to bind while theirs answers.
 */
async function waitReady(child: ChildProcess, url: string, dir: string): Promise<boolean> {
  let exited = child.exitCode !== null;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!exited && Date.now() < deadline) {
    const answered = await withClient(
      url,
      async (client) => (await client.query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`)).rows[0]?.dir ?? '',
      { connectionTimeoutMillis: 1000 },
    ).catch(() => null); // not accepting connections yet: ask again
    if (answered !== null && sameDirectory(answered, dir)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!exited) killGroup(child.pid, 'SIGKILL');
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

/** Stops a throwaway cluster's server and removes the cluster (or keeps it aside, holding kept databases). */
export async function stopServer(entry: Running): Promise<void> {
  if (!running.has(entry)) return;
  const kept = entry.throwaway ? keptInCluster(entry.dir) : [];
  // Only tidies the kept cluster (a database left in it costs disk, not correctness): it is kept either way.
  if (kept.length > 0) await dropAllBut(embeddedUrl(entry.port, 'postgres', entry.host), kept).catch(() => {});
  await stopProcess(entry);
  if (kept.length > 0) await retireKeptCluster(entry.dir);
  else if (entry.throwaway) await rm(entry.dir, { recursive: true, force: true });
}

/** Stops the server (a fast shutdown: clients disconnected, a checkpoint) and then its watchdog. */
export async function stopProcess(entry: Running): Promise<void> {
  if (!running.delete(entry)) return;
  const { child } = entry;
  if (!child) {
    await stopByPid(entry.server.pid);
  } else if (child.exitCode === null && child.signalCode === null) {
    child.ref(); // the child was unref'd so a forgotten close() cannot hold the process open
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const timeout = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timeout);
  }
  entry.watchdog?.end();
}

/** Leaves a shared server to its other users: this process's lease and watchdog go, the server stays. */
export function leaveServer(entry: Running): void {
  if (!running.delete(entry)) return;
  if (entry.lease) removeUser(entry.lease);
  entry.watchdog?.end();
}

/**
 * Stops a server we have no child handle for and waits until it is gone: a fast shutdown (SIGINT:
 * clients disconnected, a checkpoint), or an immediate one (SIGQUIT) for a cluster about to be
 * removed; a fast one still running after 30 s is made immediate.
 */
export async function stopByPid(pid: number, how: 'SIGINT' | 'SIGQUIT' = 'SIGINT'): Promise<void> {
  signal(pid, how);
  const escalate = Date.now() + 30_000;
  while (isRunning(pid)) {
    if (Date.now() > escalate) signal(pid, 'SIGQUIT');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function killGroup(pid: number | undefined, name: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, name);
  } catch {
    signal(pid, name);
  }
}

/** A server another process started (joined on a shared cluster, or adopted from a killed one), served by this process from now on. */
export function joinServer(server: ProcessOwner, dir: string, port: number, host: string, lease: string | undefined): Running {
  const watchdog = ServerWatchdog.start({ server, dataDir: dir, throwaway: false, ...(lease ? { lease } : {}) });
  const entry: Running = { child: null, server, dir, throwaway: false, port, host, watchdog, ...(lease ? { lease } : {}) };
  running.add(entry);
  installExitHook();
  return entry;
}

/**
 * On exit (even a forgotten close()), stop our servers at once and remove throwaway clusters; a
 * shared server is left to its other live users. (A killed process runs no handler: its watchdogs
 * do the same.)
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const entry of running) {
      if (entry.lease) {
        removeUser(entry.lease);
        if (liveUsers(entry.dir).length > 0) continue;
        signal(entry.server.pid, 'SIGINT');
        continue;
      }
      if (entry.child) entry.child.kill('SIGQUIT');
      else signal(entry.server.pid, 'SIGQUIT');
      // A cluster holding kept databases is moved aside by the next run's sweep instead.
      if (entry.throwaway && keptInCluster(entry.dir).length === 0) rmSync(entry.dir, { recursive: true, force: true });
    }
  });
}
