/**
 * `aquaseed up` never outlives whoever started it: killing its parent (as killing `npx aquaseed
 * up` kills npm, whose shell runs the CLI) or closing its stdin pipe stops it and its server, and
 * SIGHUP (a closed terminal) stops it cleanly. Nothing of it is left in the process table.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/host/package-root.js';
import { isRunning } from '../../src/host/process-owner.js';
import { aquaseedProcessesUnder } from '../support/postgres-cluster.js';
import { tryQuery } from '../support/mid-load.js';

/** `up` prints its URL once the farm is seeded or restored: a minute on a loaded machine. */
const SERVE_WAIT = { timeout: 150_000, interval: 50 };
/** `up` polls its starters every 250 ms and stops its server with a fast shutdown: seconds, ten on a loaded machine. */
const STOP_WAIT = { timeout: 10_000, interval: 50 };

const main = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
let cacheDir: string;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-up-life-'));
  // As root PostgreSQL runs as `postgres`, which must reach the clusters under it.
  await chmod(cacheDir, 0o755);
});

afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

/** Collects a child's stdout and waits for its first line, the URL `up --quiet` prints. */
async function urlOf(child: ChildProcess, what: string): Promise<string> {
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return vi.waitFor(() => {
    const line = /^(\S+)\n/.exec(out)?.[1];
    if (line) return line;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} ended before it printed a URL`);
    throw new Error(`waited for ${what} to print its URL`);
  }, SERVE_WAIT);
}

function ended(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

function env(): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: '', AQUASEED_CACHE_DIR: cacheDir };
}

describe('aquaseed up', () => {
  it('stops, with its server, when the process that started it is killed (SIGKILL to its parent shell)', async () => {
    // The shell stays the parent (`; true` keeps it from exec-ing the CLI), as npm's `sh -c` does.
    const shell = spawn('/bin/sh', ['-c', `"${process.execPath}" "${main}" up single-batch --quiet; true`], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await urlOf(shell, 'aquaseed up (under sh)');
      expect(await tryQuery(url, 'SELECT count(*)::int AS n FROM batch_batch')).toEqual([{ n: 1 }]);
      const cli = childPidsOf(shell.pid as number);
      expect(cli).toHaveLength(1);

      shell.kill('SIGKILL');
      await expect.poll(() => isRunning(cli[0]!), STOP_WAIT).toBe(false);
      await expect.poll(() => aquaseedProcessesUnder(cacheDir), STOP_WAIT).toEqual([]);
    } finally {
      shell.kill('SIGKILL');
    }
  });

  it('stops cleanly, with its server, when its stdin pipe is closed', async () => {
    const child = spawn(process.execPath, [main, 'up', 'single-batch', '--quiet'], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    const result = ended(child);
    try {
      const url = await urlOf(child, 'aquaseed up');
      expect(await tryQuery(url, 'SELECT count(*)::int AS n FROM batch_batch')).toEqual([{ n: 1 }]);
      child.stdin?.end();
      expect(await result).toEqual({ code: 0, stderr: '' });
      expect(aquaseedProcessesUnder(cacheDir)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('stops cleanly, with its server, on SIGHUP (its terminal closed)', async () => {
    const child = spawn(process.execPath, [main, 'up', 'single-batch', '--quiet'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const result = ended(child);
    try {
      await urlOf(child, 'aquaseed up');
      child.kill('SIGHUP');
      expect((await result).code).toBe(0);
      expect(aquaseedProcessesUnder(cacheDir)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

/** The pids whose parent is `pid` (from /proc). */
function childPidsOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
