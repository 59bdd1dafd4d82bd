/**
 * The embedded server processes this process runs: started on a free port (tuned for loading),
 * waited for until they answer, stopped cleanly, and stopped at once when the process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { realpathSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { isRunning } from '../host/process-owner.js';
import { withClient } from '../db/client.js';
import type { EmbeddedBinaries } from './embedded-binaries.js';
import type { RunAs } from './reachable-binaries.js';
import { freePort } from './free-port.js';
import { loadTuningFlags } from './load-tuning.js';
import { dropAllBut, keptInCluster, retireKeptCluster } from './kept-cluster.js';
import { embeddedUrl } from './embedded-cluster.js';

export interface Running {
  /** Our child process; null for an adopted server, which another (gone) process started. */
  child: ChildProcess | null;
  pid: number;
  dir: string;
  throwaway: boolean;
  port: number;
}

const running = new Set<Running>();
let exitHookInstalled = false;

export async function spawnServer(
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
      'see the server output above; remove the directory to start from a fresh cluster, or pass a databaseUrl (--database-url) to use a server of your own',
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
    const answered = await withClient(
      embeddedUrl(port, 'postgres'),
      async (client) => (await client.query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`)).rows[0]?.dir ?? '',
      { connectionTimeoutMillis: 1000 },
    ).catch(() => null); // not accepting connections yet: ask again
    if (answered !== null && sameDirectory(answered, dir)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
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

export async function stopServer(entry: Running): Promise<void> {
  if (!running.has(entry)) return;
  const kept = entry.throwaway ? keptInCluster(entry.dir) : [];
  // Only tidies the kept cluster (a database left in it costs disk, not correctness): it is kept either way.
  if (kept.length > 0) await dropAllBut(embeddedUrl(entry.port, 'postgres'), kept).catch(() => {});
  await stopProcess(entry);
  if (kept.length > 0) await retireKeptCluster(entry.dir);
  else if (entry.throwaway) await rm(entry.dir, { recursive: true, force: true });
}

export async function stopProcess(entry: Running): Promise<void> {
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

/** A server a killed aquaseed left running on `dir`, served (and stopped) by this process from now on. */
export function adoptServer(pid: number, dir: string, throwaway: boolean, port: number): Running {
  const entry: Running = { child: null, pid, dir, throwaway, port };
  running.add(entry);
  installExitHook();
  return entry;
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
