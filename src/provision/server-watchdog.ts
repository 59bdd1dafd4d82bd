/**
 * An embedded server never outlives the process that uses it, however that process ends. Exit
 * handlers run on a normal exit and on signals Node handles; a process killed outright (SIGKILL,
 * the OOM killer, a crash) runs none. So each user of a server gets a watchdog: a tiny `sh` in a
 * session of its own, blocked reading a pipe from its user. The kernel closes the pipe when the
 * user dies; the watchdog then drops the user's lease on a shared cluster and, when no live user
 * is left, stops the server (a fast shutdown, an immediate one for a throwaway cluster, SIGKILL to
 * its process group after the grace period) and removes a throwaway cluster's directory.
 *
 * A forked test worker (Vitest, Playwright) also dies with its runner in effect, but may linger
 * for minutes when the runner is killed: its watchdog also polls the runner, once a second.
 * A normal stop ends the watchdog (SIGKILL to its process group) after the server stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { ownerOf, type ProcessOwner } from '../host/process-owner.js';
import { KEPT_MARKER } from '../cache/kept.js';

export interface WatchedServer {
  /** The postmaster: its process group is the server's (it runs in a session of its own). */
  server: ProcessOwner;
  dataDir: string;
  /** A throwaway cluster: removed once its server stopped (unless it holds kept databases). */
  throwaway: boolean;
  /** This user's lease on a shared cluster; a live user's lease beside it keeps the server running. */
  lease?: string;
}

/** Seconds from the first signal to SIGKILL. */
const GRACE_SECONDS = 10;

/** `sh -c WATCHDOG aquaseed-server-watchdog <server> <start> <dir> <throwaway> <lease> <parent> <parent start> <grace> <kept marker>` */
const WATCHDOG = `server=$1 server_start=$2 dir=$3 throwaway=$4 lease=$5 parent=$6 parent_start=$7 grace=$8 kept=$9
alive() {
  if [ -d /proc/self ]; then
    s=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
    case $s in Z*|'') return 1;; esac
    [ -z "$2" ] || [ "$(echo "$s" | cut -d' ' -f20)" = "$2" ]
  else
    kill -0 "$1" 2>/dev/null
  fi
}
others() {
  [ -n "$lease" ] || return 1
  for f in "\${lease%/*}"/*; do
    [ -e "$f" ] && [ "$f" != "$lease" ] || continue
    n=\${f##*/}
    if alive "\${n%%-*}" "$(echo "$n" | cut -d- -f2)"; then return 0; fi
  done
  return 1
}
removable() { [ "$throwaway" = 1 ] && [ ! -d "$dir/$kept" ]; }
stop() {
  [ -n "$lease" ] && rm -f "$lease"
  others && exit 0
  if alive "$server" "$server_start"; then
    if removable; then kill -QUIT "$server" 2>/dev/null; else kill -INT "$server" 2>/dev/null; fi
    i=0
    while alive "$server" "$server_start" && [ "$i" -lt $((grace * 10)) ]; do sleep 0.1 2>/dev/null || sleep 1; i=$((i + 1)); done
    alive "$server" "$server_start" && kill -KILL -"$server" 2>/dev/null
  fi
  removable && rm -rf "$dir"
  exit 0
}
if [ -n "$parent" ]; then
  (while alive "$parent" "$parent_start"; do sleep 1; done; stop) &
fi
read -r _ || :
stop`;

export class ServerWatchdog {
  private constructor(private readonly child: ChildProcess) {}

  /** Starts the watchdog of this process's use of `target`; null where no `sh` can be started. */
  static start(target: WatchedServer): ServerWatchdog | null {
    const parent = runnerOfThisProcess();
    const args = [
      String(target.server.pid),
      String(target.server.start ?? ''),
      target.dataDir,
      target.throwaway ? '1' : '0',
      target.lease ?? '',
      parent ? String(parent.pid) : '',
      String(parent?.start ?? ''),
      String(GRACE_SECONDS),
      KEPT_MARKER,
    ];
    try {
      const child = spawn('/bin/sh', ['-c', WATCHDOG, 'aquaseed-server-watchdog', ...args], {
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      child.on('error', () => {});
      // Neither the watchdog nor its pipe may keep this process's event loop alive.
      child.unref();
      (child.stdin as (Writable & { unref?: () => void }) | null)?.unref?.();
      child.stdin?.on('error', () => {});
      return new ServerWatchdog(child);
    } catch {
      return null;
    }
  }

  /** Ends the watchdog (and its runner poll): the server was stopped or handed on normally. */
  end(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

let runner: ProcessOwner | null | undefined;

/**
 * The process this one lives for, when it is a forked worker (an IPC channel to its parent: a
 * Vitest or Playwright worker, a tinypool child): its parent, the runner. Null otherwise.
 */
function runnerOfThisProcess(): ProcessOwner | null {
  if (runner === undefined) runner = process.channel ? ownerOf(process.ppid) : null;
  return runner;
}
