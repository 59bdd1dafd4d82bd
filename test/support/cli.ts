import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { vi } from 'vitest';
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

export interface CliSpawnOptions {
  /** In a process group of its own, as a shell runs a job: a signal to `-pid` reaches the whole job, as Ctrl-C does. */
  ownGroup?: boolean;
}

/** Runs the built `aquaseed` CLI (dist/), as a user would through npx. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, onStart?: (child: ChildProcess) => void, options: CliSpawnOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(packageRoot(), 'dist', 'src', 'cli', 'main.js'), ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.ownGroup === true,
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

/** `up` prints its URL once the server is up and the farm seeded or restored: a minute on a loaded machine. */
const SERVE_WAIT = { timeout: 100_000, interval: 50 };

export interface ServeOptions {
  /** Take the URL from the first line of stdout (all `up --quiet` prints), not the `export DATABASE_URL="…"` line. */
  firstLine?: boolean;
  /** The signal that stops it (default SIGINT, Ctrl-C). */
  stopWith?: NodeJS.Signals;
}

/**
 * Once `aquaseed up` (`child`) prints its URL, runs `body` with a client on that URL, then stops
 * it (Ctrl-C unless told). Resolves with the URL and what `body` returned.
 */
export async function whileServing<T>(child: ChildProcess, body: (client: pg.Client) => Promise<T>, options: ServeOptions = {}): Promise<{ url: string; value: T }> {
  let out = '';
  let ended = false;
  child.stdout?.on('data', (chunk: Buffer | string) => (out += chunk.toString()));
  child.on('close', () => (ended = true));
  try {
    const url = await vi.waitFor(() => {
      const match = options.firstLine ? /^(\S+)\n/.exec(out) : /export DATABASE_URL="([^"]+)"/.exec(out);
      if (match) return match[1] as string;
      if (ended) return null;
      throw new Error(`waited for aquaseed up to print its URL; it printed:\n${out}`);
    }, SERVE_WAIT);
    if (!url) throw new Error(`aquaseed up ended before it printed a URL:\n${out}`);
    return { url, value: await withClient(url, body) };
  } finally {
    child.kill(options.stopWith ?? 'SIGINT');
  }
}
