/**
 * Waits for a state, never a clock: until a running `aquaseed seed` is COPYing rows into its
 * database, then acts (a signal, say). Returns whether it saw the COPY before the process ended.
 */
import type { ChildProcess } from 'node:child_process';
import { vi } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { withClient } from '../../src/db/client.js';

const COPYING = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query ILIKE 'COPY %FROM STDIN%' AND state = 'active'`;
/** A seed reaches its COPY within seconds, a minute on a loaded machine; a hang fails, naming the wait. */
const COPY_WAIT = { timeout: 100_000, interval: 50 };

/** Runs `query` on `url` once, or returns null while the server is not up (yet, or any more). */
export async function tryQuery<T extends pg.QueryResultRow>(url: string, query: string): Promise<T[] | null> {
  try {
    return await withClient(url, async (client) => (await client.query<T>(query)).rows, { connectionTimeoutMillis: 1000 });
  } catch {
    return null;
  }
}

/** Whether any session of the server at `url` (its maintenance database) is COPYing rows in. */
export async function isCopying(url: string): Promise<boolean> {
  const rows = await tryQuery<{ n: number }>(url, COPYING);
  return rows !== null && (rows[0]?.n ?? 0) > 0;
}

/**
 * Once `child` (an `aquaseed seed`) is COPYing into the server whose maintenance URL `server`
 * gives (a URL, or a lookup that may find none yet), calls `act`. Resolves true when it acted,
 * false when the process ended first.
 */
export function whenSeedCopies(child: ChildProcess, server: string | (() => Promise<string | null>), act: () => void): Promise<boolean> {
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return vi.waitFor(async () => {
    if (!running()) return false;
    const url = typeof server === 'string' ? server : await server();
    if (url && (await isCopying(url)) && running()) {
      act();
      return true;
    }
    throw new Error(`waited for aquaseed seed (pid ${child.pid}) to COPY rows into ${url ?? 'its server (not up yet)'}`);
  }, COPY_WAIT);
}

/** The maintenance URL of the embedded server running on `clusterDir` (from its postmaster.pid), if one runs. */
export function embeddedCluster(clusterDir: string): () => Promise<string | null> {
  return async () => {
    const port = await readFile(join(clusterDir, 'postmaster.pid'), 'utf8').then((text) => Number(text.split('\n')[3]), () => 0);
    return port ? `postgres://aquaseed:aquaseed@127.0.0.1:${port}/postgres` : null;
  };
}
