/**
 * A shell command in a process group of its own, so that everything it starts (a dev server's
 * reloader, workers, a proxy) can be signalled at once, and none of it outlives its owner:
 *
 * - `stop()` sends SIGTERM to the whole group, waits for every member to end, and sends SIGKILL
 *   to what is left after a grace period;
 * - when the owning Node process exits, an exit handler sends SIGTERM to every group still running;
 * - an owner killed outright (SIGKILL, a crash, Ctrl-C on a runner) runs no handler, so each group
 *   gets a watchdog: a tiny `sh` in a session of its own that blocks reading a pipe from the owner.
 *   The kernel closes the pipe when the owner dies, however it dies; the watchdog then sends the
 *   group SIGTERM, and SIGKILL after the grace period. A normal stop ends the watchdog too.
 *
 * A group is over when no member is left but zombies: a member whose parent died is reparented to
 * PID 1, which in some containers never reaps it, and a zombie still answers kill(pid, 0).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { AquaseedError } from '../core/errors.js';
import type { OutputRing } from './output-ring.js';

export interface GroupExit {
  /** The shell's exit code, null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the shell could not be started at all. */
  error?: Error;
}

export interface StartGroupOptions {
  cwd?: string;
  env: Record<string, string>;
  /** Where stdout and stderr go; default ignored. */
  output?: OutputRing;
  /** Milliseconds from SIGTERM to SIGKILL, for stop() and the watchdog (default 5000). */
  graceMs?: number;
  /** What the command is, for messages ("app", "migrate command"). */
  label?: string;
  /**
   * A group meant to outlive its owner (an app left running on a kept database): no watchdog, no
   * exit handler, and its output appended to this file rather than to pipes the owner's exit
   * would close. Stopped by stop(), or later by stopGroupById() (`aquaseed cache prune`).
   */
  logFile?: string;
}

export const DEFAULT_GRACE_MS = 5000;

/** Run by `sh -c … aquaseed-watchdog <pgid> <grace seconds>`: waits for the owner's pipe to close. */
const WATCHDOG = `read -r _ ; kill -TERM -"$1" 2>/dev/null || exit 0
i=0; while [ "$i" -lt "$2" ]; do kill -0 -"$1" 2>/dev/null || exit 0; sleep 1; i=$((i+1)); done
kill -KILL -"$1" 2>/dev/null`;

const running = new Set<ProcessGroup>();
let exitHandler = false;

export class ProcessGroup {
  /** The shell's pid, which is the group's id. */
  readonly pid: number;
  /** Resolves when the shell exits (whatever the rest of the group does). */
  readonly exited: Promise<GroupExit>;
  /**
   * Resolves when the shell exited and its output pipes closed: every line the group printed has
   * been read. A member still running holds the pipes open; stop() ends it.
   */
  readonly closed: Promise<GroupExit>;
  private result: GroupExit | undefined;
  private stopping: Promise<GroupExit> | undefined;
  private readonly watchdog: ChildProcess | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly graceMs: number,
    outlivesOwner = false,
  ) {
    this.pid = child.pid ?? -1;
    this.exited = new Promise<GroupExit>((resolve) => {
      child.once('exit', (code, signal) => resolve((this.result = { code, signal })));
      child.once('error', (error) => resolve((this.result = { code: null, signal: null, error })));
    });
    this.closed = new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.once('error', () => resolve());
    }).then(() => this.exited);
    if (outlivesOwner) {
      // Neither the child nor its handle may keep the owner alive, and nothing stops it when the owner goes.
      child.unref();
      this.watchdog = undefined;
    } else if (this.pid > 0) {
      this.watchdog = startWatchdog(this.pid, graceMs);
      running.add(this);
      registerExitHandler();
    }
  }

  /** Starts `command` with /bin/sh -c in a new process group (and session). */
  static start(command: string, options: StartGroupOptions): ProcessGroup {
    const label = options.label ?? 'command';
    if (options.cwd !== undefined && !(existsSync(options.cwd) && statSync(options.cwd).isDirectory())) {
      throw new AquaseedError('AQUASEED_INVALID_OPTION', `${label} cwd ${JSON.stringify(options.cwd)} is not a directory`, 'give cwd as an existing directory (relative paths are taken from the current directory)');
    }
    if (options.logFile !== undefined) {
      const log = openSync(options.logFile, 'a');
      try {
        const child = spawn('/bin/sh', ['-c', command], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', log, log] });
        return new ProcessGroup(child, options.graceMs ?? DEFAULT_GRACE_MS, true);
      } finally {
        closeSync(log); // the child has its own copy
      }
    }
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', options.output ? 'pipe' : 'ignore', options.output ? 'pipe' : 'ignore'],
    });
    if (options.output) {
      options.output.attach(child.stdout!, 'stdout');
      options.output.attach(child.stderr!, 'stderr');
    }
    return new ProcessGroup(child, options.graceMs ?? DEFAULT_GRACE_MS);
  }

  /** The shell's exit, once it exited. */
  get exit(): GroupExit | undefined {
    return this.result;
  }

  /** Live (non-zombie) processes of the group, the shell included. */
  members(): number[] {
    return this.pid > 0 ? groupMembers(this.pid) : [];
  }

  /**
   * SIGTERM to the group, SIGKILL after the grace period to whatever is left; resolves when no
   * member is left (and with the shell's exit). Safe to call more than once.
   */
  stop(): Promise<GroupExit> {
    this.stopping ??= this.stopGroup();
    return this.stopping;
  }

  private async stopGroup(): Promise<GroupExit> {
    if (this.pid <= 0) return this.exited;
    signalGroup(this.pid, 'SIGTERM');
    if (!(await this.waitGone(this.graceMs))) {
      signalGroup(this.pid, 'SIGKILL');
      await this.waitGone(DEFAULT_GRACE_MS);
    }
    running.delete(this);
    this.watchdog?.kill('SIGKILL');
    return this.exited;
  }

  /** Whether the shell exited and the group emptied within `ms`. */
  private async waitGone(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    let pause = 10;
    for (;;) {
      if (this.result && groupMembers(this.pid).length === 0) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 100);
    }
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function startWatchdog(pgid: number, graceMs: number): ChildProcess | undefined {
  try {
    const watchdog = spawn('/bin/sh', ['-c', WATCHDOG, 'aquaseed-watchdog', String(pgid), String(Math.max(1, Math.ceil(graceMs / 1000)))], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    watchdog.on('error', () => {});
    // Neither the watchdog nor its pipe may keep the owner's event loop alive.
    watchdog.unref();
    (watchdog.stdin as (Writable & { unref?: () => void }) | null)?.unref?.();
    watchdog.stdin?.on('error', () => {});
    return watchdog;
  } catch {
    return undefined;
  }
}

function registerExitHandler(): void {
  if (exitHandler) return;
  exitHandler = true;
  // Synchronous, as 'exit' handlers must be: SIGTERM now; the watchdogs send SIGKILL later if needed.
  process.on('exit', () => {
    for (const group of running) signalGroup(group.pid, 'SIGTERM');
  });
}

/**
 * Live members of process group `pgid`: from /proc where there is one (zombies left out), else
 * the group itself while kill(-pgid, 0) finds it.
 */
export function groupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    // Fields after the command name (which may hold spaces and parentheses): state, ppid, pgrp, …
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
  }
  return members;
}

/**
 * When process `pid` started (clock ticks since boot, /proc/<pid>/stat field 22), or null when it
 * is gone (or there is no /proc): with the pid it names one process, whatever reuses the pid later.
 */
export function processStartTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? null : Number(fields[19]);
  } catch {
    return null;
  }
}

/**
 * Stops a group this process did not start (an app an earlier run left running): SIGTERM, SIGKILL
 * after `graceMs` to what is left. Only when its leader is still the process that started at
 * `startTime`; false when it was gone already (or the pid now names another process).
 */
export async function stopGroupById(pgid: number, startTime: number, graceMs = DEFAULT_GRACE_MS): Promise<boolean> {
  if (processStartTime(pgid) !== startTime) return false;
  signalGroup(pgid, 'SIGTERM');
  const gone = async (ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms;
    for (let pause = 10; groupMembers(pgid).length > 0; pause = Math.min(pause * 2, 100)) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    return true;
  };
  if (!(await gone(graceMs))) {
    signalGroup(pgid, 'SIGKILL');
    await gone(DEFAULT_GRACE_MS);
  }
  return true;
}
