/**
 * The process that owns something on disk (a cache lock, an embedded cluster), recorded so that
 * another process can tell whether the owner still lives. A pid alone is not enough: a killed
 * owner's pid is soon another process's (in a container, within seconds), and a dead child whose
 * parent was killed may linger as a zombie that `kill(pid, 0)` still finds. The process's start
 * time (Linux: /proc/<pid>/stat) tells them apart.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';

export interface ProcessOwner {
  pid: number;
  /** The process's start time in clock ticks since boot, where the system tells it. */
  start?: number;
}

/** This process, as an owner record. */
export function currentOwner(): ProcessOwner {
  const start = processStart(process.pid);
  return start === undefined ? { pid: process.pid } : { pid: process.pid, start };
}

export async function writeOwner(file: string): Promise<void> {
  await writeFile(file, JSON.stringify(currentOwner()));
}

/** The owner recorded in `file`, or null when there is none (or it cannot be read). */
export async function readOwner(file: string): Promise<ProcessOwner | null> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as Partial<ProcessOwner>;
    if (!Number.isInteger(owner.pid)) return null;
    return owner.start === undefined ? { pid: owner.pid as number } : { pid: owner.pid as number, start: owner.start };
  } catch {
    return null;
  }
}

/** Whether the recorded owner is still running: the same pid, started at the same time, not a zombie. */
export function ownerAlive(owner: ProcessOwner): boolean {
  if (!isRunning(owner.pid)) return false;
  return owner.start === undefined || processStart(owner.pid) === owner.start;
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

function processState(pid: number): string | undefined {
  return statFields(pid)?.[0];
}

/** Start time of `pid` (field 22 of /proc/<pid>/stat), undefined where there is no /proc. */
export function processStart(pid: number): number | undefined {
  const start = Number(statFields(pid)?.[19]);
  return Number.isFinite(start) ? start : undefined;
}
