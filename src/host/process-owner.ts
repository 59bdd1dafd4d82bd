/**
 * The process that owns something on disk (a cache lock, an embedded cluster, a half-written
 * entry), recorded so that another process can tell whether the owner still lives. A pid alone is
 * not enough: a killed owner's pid is soon another process's (in a container, within seconds), and
 * a dead child whose parent was killed may linger as a zombie that `kill(pid, 0)` still finds. The
 * process's start time tells them apart: /proc/<pid>/stat on Linux, `ps -o lstart=` elsewhere.
 *
 * Ownership is never decided by age: a leftover is removed when its owner is gone, however recent,
 * and kept while its owner lives, however old.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';

export interface ProcessOwner {
  pid: number;
  /** The process's start time (Linux: clock ticks since boot; elsewhere: seconds since 1970), where the system tells it. */
  start?: number;
}

let self: ProcessOwner | undefined;

/** This process, as an owner record. */
export function currentOwner(): ProcessOwner {
  if (!self) {
    const start = processStart(process.pid);
    self = start === undefined ? { pid: process.pid } : { pid: process.pid, start };
  }
  return self;
}

/** A process as an owner record (its start time read now), or null when it is not running. */
export function ownerOf(pid: number): ProcessOwner | null {
  if (!isRunning(pid)) return null;
  const start = processStart(pid);
  return start === undefined ? { pid } : { pid, start };
}

export async function writeOwner(file: string): Promise<void> {
  await writeFile(file, JSON.stringify(currentOwner()));
}

/** The owner recorded in `file`, or null when there is none (or it cannot be read). */
export async function readOwner(file: string): Promise<ProcessOwner | null> {
  try {
    return parseOwner(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

/** The owner recorded in `file`, read synchronously (for exit handlers). */
export function readOwnerSync(file: string): ProcessOwner | null {
  try {
    return parseOwner(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function parseOwner(text: string): ProcessOwner | null {
  const owner = JSON.parse(text) as Partial<ProcessOwner>;
  if (!Number.isInteger(owner.pid)) return null;
  return Number.isFinite(owner.start) ? { pid: owner.pid as number, start: owner.start as number } : { pid: owner.pid as number };
}

/** Whether the recorded owner is still running: the same pid, started at the same time, not a zombie. */
export function ownerAlive(owner: ProcessOwner): boolean {
  if (!isRunning(owner.pid)) return false;
  return owner.start === undefined || processStart(owner.pid) === owner.start;
}

/** Whether two records name the same process. */
export function sameOwner(a: ProcessOwner, b: ProcessOwner): boolean {
  return a.pid === b.pid && a.start === b.start;
}

/**
 * A file or directory name that carries its owner, so that no moment exists where the thing is on
 * disk but its owner is not: `<prefix><pid>-<start>-<random>` (start empty where unknown).
 */
export function ownedName(prefix: string, owner: ProcessOwner = currentOwner()): string {
  return `${prefix}${owner.pid}-${owner.start ?? ''}-${randomUUID().slice(0, 8)}`;
}

/** The owner an `ownedName(prefix)` carries, or null when `name` is not one. */
export function ownerOfName(name: string, prefix: string): ProcessOwner | null {
  if (!name.startsWith(prefix)) return null;
  const match = /^(\d+)-(\d*)-[0-9a-f]{8}/.exec(name.slice(prefix.length));
  if (!match) return null;
  const pid = Number(match[1]);
  return match[2] ? { pid, start: Number(match[2]) } : { pid };
}

/** Whether `pid` is a live process (a zombie is not). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return processState(pid) !== 'Z';
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

const hasProc = ((): boolean => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

function processState(pid: number): string | undefined {
  if (hasProc) return statFields(pid)?.[0];
  const ps = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  return ps.status === 0 ? ps.stdout.trim().charAt(0) : undefined;
}

/**
 * Start time of `pid`: field 22 of /proc/<pid>/stat (clock ticks since boot), or off Linux the
 * `ps -o lstart=` date in seconds; undefined when neither tells.
 */
export function processStart(pid: number): number | undefined {
  if (hasProc) {
    const start = Number(statFields(pid)?.[19]);
    return Number.isFinite(start) ? start : undefined;
  }
  const ps = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  const seconds = ps.status === 0 ? Date.parse(ps.stdout.trim()) / 1000 : Number.NaN;
  return Number.isFinite(seconds) ? seconds : undefined;
}

/** The parent of `pid` (from /proc or ps), or undefined. */
export function parentOf(pid: number): number | undefined {
  if (hasProc) {
    const ppid = Number(statFields(pid)?.[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  }
  const ps = spawnSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' });
  const ppid = Number(ps.stdout.trim());
  return ps.status === 0 && Number.isInteger(ppid) ? ppid : undefined;
}

/** The process group of `pid` (from /proc or ps), or undefined. */
export function groupOf(pid: number): number | undefined {
  if (hasProc) {
    const pgrp = Number(statFields(pid)?.[2]);
    return Number.isInteger(pgrp) ? pgrp : undefined;
  }
  const ps = spawnSync('ps', ['-o', 'pgid=', '-p', String(pid)], { encoding: 'utf8' });
  const pgid = Number(ps.stdout.trim());
  return ps.status === 0 && Number.isInteger(pgid) ? pgid : undefined;
}
