import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type pg from 'pg';
import { withClient } from '../../src/db/client.js';
import { packageRoot } from '../../src/host/package-root.js';

export interface CliResult {
  code: number | null;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `aquaseed` CLI (dist/), as a user would through npx. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, onStart?: (child: ChildProcess) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(packageRoot(), 'dist', 'src', 'cli', 'main.js'), ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onStart?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Once `aquaseed up` (`child`) prints its `export DATABASE_URL="…"` line, runs `body` with a client
 * on that URL, then presses Ctrl-C. Resolves with the URL and what `body` returned.
 */
export function whileServing<T>(child: ChildProcess, body: (client: pg.Client) => Promise<T>): Promise<{ url: string; value: T }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let url = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /export DATABASE_URL="([^"]+)"/.exec(out);
      if (!match || url) return;
      url = match[1] as string;
      withClient(url, body)
        .then((value) => resolve({ url, value }), reject)
        .finally(() => child.kill('SIGINT'));
    });
    child.on('close', () => {
      if (!url) reject(new Error(`aquaseed up ended before it printed a URL:\n${out}`));
    });
  });
}
