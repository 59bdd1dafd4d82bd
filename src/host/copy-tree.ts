import { spawn } from 'node:child_process';
import { cp } from 'node:fs/promises';

/**
 * Copies a directory tree, preserving modes and ownership. The system `cp -a` is about three
 * times faster than `fs.cp` on a PostgreSQL data directory (thousands of small files), and with
 * `--reflink=auto` a copy-on-write filesystem (btrfs, XFS) makes it near-instant. Elsewhere, or if
 * `cp` fails, `fs.cp` does the job; a `cp` a signal stopped (Ctrl-C in the terminal reaches it
 * too) is not redone: the caller is being interrupted.
 */
export async function copyTree(from: string, to: string): Promise<void> {
  const args = process.platform === 'linux' ? ['-a', '--reflink=auto', from, to] : process.platform === 'darwin' ? ['-a', from, to] : null;
  if (args) {
    const result = await run('cp', args);
    if (result === 'copied') return;
    if (result !== 'failed') throw new Error(`copying ${from} to ${to} was stopped by ${result}`);
  }
  // Links stay as they are (`cp -a` does the same): relative ones then resolve inside the copy.
  await cp(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
}

/** 'copied', 'failed' (or not run at all), or the signal that stopped it. */
function run(command: string, args: string[]): Promise<'copied' | 'failed' | NodeJS.Signals> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.on('error', () => resolve('failed'));
    child.on('exit', (code, signal) => resolve(signal ?? (code === 0 ? 'copied' : 'failed')));
  });
}
