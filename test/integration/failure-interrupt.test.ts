/**
 * Interruptions lose nothing: Ctrl-C / SIGTERM of the CLI during generate+load, and PostgreSQL
 * killing the loading sessions, leave no half-seeded database visible and no server running, and
 * the next run succeeds.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { connectClient, withClient } from '../../src/db/client.js';
import { seedFarm } from '../../src/index.js';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { defaultCacheDir } from '../../src/host/cache-dir.js';
import { embeddedBinaries } from '../../src/provision/embedded-binaries.js';
import { runCli } from '../support/cli.js';
import { aquaseedProcessesUnder, postgresProcessesUnder } from '../support/postgres-cluster.js';
import { leftoversIn } from '../support/leftovers.js';
import { embeddedCluster, isCopying, tryQuery, whenSeedCopies } from '../support/mid-load.js';

/** A seed reaches its COPY within seconds, a minute on a loaded machine; a hang fails, naming the wait. */
const COPY_WAIT = { timeout: 100_000, interval: 25 };

/** What a database shows: its public relations and any aquaseed staging schemas. */
async function visibleState(url: string): Promise<{ publicRelations: number; staging: string[] }> {
  return withClient(url, async (client) => {
    const relations = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace`);
    const staging = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'aquaseed_staging%'`);
    return { publicRelations: relations.rows[0]!.n, staging: staging.rows.map((row) => row.nspname) };
  });
}

describe('a signal to the CLI mid-seed (embedded default cluster)', () => {
  // SIGINT as Ctrl-C sends it: to the whole job (the CLI's process group); the server, in a session
  // of its own, must not get it. SIGTERM as `kill` sends it: to the CLI alone.
  it.each([
    ['SIGINT', 'the process group', 'single-batch', 'aquaseed_single_batch'],
    ['SIGTERM', 'the process', 'tiny', 'aquaseed_tiny'],
  ] as const)('%s to %s during generate+load: exit 128+n, "interrupted", nothing half-seeded, no process or temp directory left, the next run succeeds', async (signal, _to, preset, database) => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-signal-'));
    // PostgreSQL runs as `postgres` when we are root: it must reach the cluster under this dir.
    await chmod(cacheDir, 0o755);
    // The CLI's temp directory: nothing may be left in it.
    const privateTmp = await mkdtemp(join(tmpdir(), 'aquaseed-signal-tmp-'));
    await chmod(privateTmp, 0o755);
    const { major } = await embeddedBinaries();
    const clusterDir = join(cacheDir, 'embedded', `pg${major}`, 'default');
    try {
      let sawCopy: Promise<boolean> = Promise.resolve(false);
      const toGroup = signal === 'SIGINT';
      const result = await runCli(
        ['seed', preset, '--cache-dir', cacheDir, '--quiet'],
        { TMPDIR: privateTmp },
        (child) => {
          sawCopy = whenSeedCopies(child, embeddedCluster(clusterDir), () => (toGroup ? process.kill(-(child.pid as number), signal) : child.kill(signal)));
        },
        { ownGroup: toGroup },
      );
      expect(await sawCopy).toBe(true);
      expect(result.code).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(result.stderr).toMatch(
        new RegExp(`^aquaseed: interrupted \\(${signal}\\): the seed stopped before it finished; nothing was published, the target database and the cache are as they were$`, 'm'),
      );
      expect(result.stderr).not.toMatch(/report it|AQUASEED_INTERNAL|AQUASEED_LOAD_FAILED|terminating connection/);
      expect(aquaseedProcessesUnder(cacheDir)).toEqual([]);
      expect(await readdir(privateTmp)).toEqual([]);
      expect(await leftoversIn(cacheDir)).toEqual([]);

      const server = await startEmbedded({ root: join(cacheDir, 'embedded'), persistentName: 'default' });
      try {
        expect(await visibleState(server.url(database))).toEqual({ publicRelations: 0, staging: [] });
      } finally {
        await server.stop();
      }

      const again = await runCli(['seed', preset, '--cache-dir', cacheDir, '--json', '--quiet']);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(postgresProcessesUnder(cacheDir)).toEqual([]);
      const after = await startEmbedded({ root: join(cacheDir, 'embedded'), persistentName: 'default' });
      try {
        expect(await tryQuery(after.url(database), 'SELECT count(*)::int AS n FROM batch_batch')).toEqual([{ n: preset === 'tiny' ? 4 : 1 }]);
        expect((await visibleState(after.url(database))).staging).toEqual([]);
      } finally {
        await after.stop();
      }
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
      await rm(privateTmp, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL ends the loading sessions mid-load', () => {
  let server: EmbeddedServer;
  let admin: pg.Client;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-killed-'));
    server = await startEmbedded({ root: join(defaultCacheDir(), 'embedded') });
    admin = await connectClient(server.url('postgres'));
    await admin.query('CREATE DATABASE killed_target');
  });

  afterAll(async () => {
    await admin?.end();
    await server?.stop();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('pg_terminate_backend of the COPY sessions: AQUASEED_LOAD_FAILED, target as before, the next run succeeds', async () => {
    const url = server.url('killed_target');
    let settled = false;
    const seeding = seedFarm({ preset: 'single-batch', databaseUrl: url, cacheDir, cache: false }).finally(() => (settled = true));
    // Awaited below; until then a rejection is expected, not unhandled.
    seeding.catch(() => {});
    // Once the COPY runs (or the seed ends without one: 0).
    const terminated = await vi.waitFor(async () => {
      if (settled) return 0;
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE datname = 'killed_target' AND query ILIKE 'COPY %FROM STDIN%' AND state = 'active'`,
      );
      if (rows[0]!.n === 0) throw new Error('waited for the seed to COPY rows into killed_target, to end those sessions');
      return rows[0]!.n;
    }, COPY_WAIT);
    expect(terminated).toBeGreaterThan(0);
    await expect(seeding).rejects.toMatchObject({
      code: 'AQUASEED_LOAD_FAILED',
      message: expect.stringMatching(/^seeding database "killed_target" failed: .*terminat.*; nothing was published$/),
      cause: expect.any(Error),
    });
    expect(await visibleState(url)).toEqual({ publicRelations: 0, staging: [] });

    const farm = await seedFarm({ preset: 'single-batch', databaseUrl: url, cacheDir, cache: false });
    try {
      expect(await tryQuery(url, 'SELECT count(*)::int AS n FROM batch_batch')).toEqual([{ n: 1 }]);
    } finally {
      await farm.close();
    }
    expect((await visibleState(url)).staging).toEqual([]);
  });
});

describe('the embedded server dies mid-load', () => {
  it('an immediate shutdown (SIGQUIT) while COPY runs: AQUASEED_LOAD_FAILED, no server or cluster left, the next run succeeds', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-crash-'));
    await chmod(cacheDir, 0o755);
    const { major } = await embeddedBinaries();
    const runs = join(cacheDir, 'embedded', `pg${major}`, 'runs');
    try {
      let settled = false;
      const seeding = seedFarm({ preset: 'tiny', cacheDir }).finally(() => (settled = true));
      // Awaited below; until then a rejection is expected, not unhandled.
      seeding.catch(() => {});
      // Once the COPY runs (or the seed ends without one: false).
      const killed = await vi.waitFor(async () => {
        if (settled) return false;
        const names = await readdir(runs).catch(() => [] as string[]);
        let signalled = false;
        for (const name of names) {
          const pid = await readFile(join(runs, name, 'postmaster.pid'), 'utf8').then((text) => text.split('\n'), () => null);
          if (!pid) continue;
          if (await isCopying(`postgres://aquaseed:aquaseed@127.0.0.1:${Number(pid[3])}/postgres`)) {
            process.kill(Number(pid[0]), 'SIGQUIT');
            signalled = true;
          }
        }
        if (!signalled) throw new Error(`waited for the seed to COPY rows into a server under ${runs}, to stop it`);
        return true;
      }, COPY_WAIT);
      expect(killed).toBe(true);
      await expect(seeding).rejects.toMatchObject({
        code: 'AQUASEED_LOAD_FAILED',
        message: expect.stringMatching(/^seeding database "aquaseed_tiny" failed: .*; nothing was published$/),
      });
      expect(postgresProcessesUnder(cacheDir)).toEqual([]);
      expect(await readdir(runs)).toEqual([]);
      expect((await readdir(join(cacheDir, 'snapshots')).catch(() => [])).filter((name) => !name.startsWith('.'))).toEqual([]);

      const farm = await seedFarm({ preset: 'tiny', cacheDir });
      try {
        expect(farm.summary.restored).toBeFalsy();
        expect(await tryQuery(farm.url, 'SELECT count(*)::int AS n FROM batch_batch')).toEqual([{ n: 4 }]);
      } finally {
        await farm.close();
      }
      expect(postgresProcessesUnder(cacheDir)).toEqual([]);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
