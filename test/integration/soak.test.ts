/**
 * Soak: 20 consecutive seedFarm('tiny') / clone / close cycles leave nothing behind: no server
 * process on our data directories, no clone database, no throwaway cluster directory, no aquaseed
 * temp directory and no open handle beyond what the first cycle left (the warm cache).
 */
import { describe, expect, it } from 'vitest';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryOnce } from '../../src/db/client.js';
import { seedFarm } from '../../src/index.js';
import { startEmbedded } from '../../src/provision/embedded.js';
import { embeddedBinaries } from '../../src/provision/embedded-binaries.js';
import { postgresProcessesUnder } from '../support/postgres-cluster.js';

const CYCLES = 20;

async function databases(url: string): Promise<string[]> {
  return (await queryOnce<{ datname: string }>(url, 'SELECT datname FROM pg_database ORDER BY datname')).rows.map((row) => row.datname);
}

/** Handles by type, without the timers Vitest itself keeps and rotates. */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    if (type === 'Timeout' || type === 'Immediate') continue;
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

describe('soak', () => {
  it(`${CYCLES} seed/clone/close cycles leave no server, database, directory or handle behind`, async () => {
    // A private temp directory, so the count of aquaseed-* entries is ours alone (other test files
    // run at the same time), traversable by the postgres user when we are root.
    const privateTmp = await mkdtemp(join(tmpdir(), 'aquaseed-soak-tmp-'));
    await chmod(privateTmp, 0o755);
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    const cacheDir = await mkdtemp(join(privateTmp, 'aquaseed-soak-cache-'));
    await chmod(cacheDir, 0o755);
    const { major } = await embeddedBinaries();
    const runs = join(cacheDir, 'embedded', `pg${major}`, 'runs');
    const tmpEntries = async (): Promise<string[]> => (await readdir(tmpdir())).filter((name) => name.startsWith('aquaseed-')).sort();
    const runEntries = async (): Promise<string[]> => readdir(runs).catch(() => []);

    const cycle = async (): Promise<void> => {
      const farm = await seedFarm({ preset: 'tiny', cacheDir });
      try {
        const maintenance = farm.url.replace(/\/[^/]+$/, '/postgres');
        const before = await databases(maintenance);
        const clone = await farm.clone();
        expect(await databases(maintenance)).toContain(clone.database);
        await clone.close();
        expect(await databases(maintenance)).toEqual(before);
      } finally {
        await farm.close();
      }
    };

    try {
      await cycle(); // generates the snapshot: what stays (the cache entry, the template cluster) is made here
      const baseline = { tmp: await tmpEntries(), runs: await runEntries(), handles: handles() };
      expect(baseline.runs).toEqual([]);
      expect(postgresProcessesUnder(cacheDir)).toEqual([]);

      // How long the cycles take is the bench's to measure (`npm run bench`: soak), not a test's.
      for (let i = 0; i < CYCLES; i++) await cycle();

      expect(postgresProcessesUnder(cacheDir)).toEqual([]);
      expect(await runEntries()).toEqual([]);
      expect(await tmpEntries()).toEqual(baseline.tmp);
      expect(handles()).toEqual(baseline.handles);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      await rm(privateTmp, { recursive: true, force: true });
    }
  }, 900_000); // a hang guard only: a busy machine may take minutes
});

describe.skipIf(process.getuid?.() !== 0)('a cache directory the postgres user cannot enter (needs root: only then does PostgreSQL run as another user)', () => {
  it('is refused, naming it, and nothing is made for it in the temp directory (clusters are never kept outside the cache)', async () => {
    const before = (await readdir(tmpdir())).filter((name) => name.startsWith('aquaseed-embedded-'));
    const closed = await mkdtemp(join(tmpdir(), 'aquaseed-private-cache-')); // mode 0700: postgres cannot enter
    try {
      await expect(startEmbedded({ root: join(closed, 'embedded') })).rejects.toMatchObject({
        code: 'AQUASEED_EMBEDDED_START',
        message: expect.stringContaining(`${closed} lets no other user through`),
      });
      expect((await readdir(tmpdir())).filter((name) => name.startsWith('aquaseed-embedded-'))).toEqual(before);
      expect(postgresProcessesUnder(closed)).toEqual([]);
    } finally {
      await rm(closed, { recursive: true, force: true });
    }
  });
});
