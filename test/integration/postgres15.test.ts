/**
 * External URLs on an older PostgreSQL: Debian's PostgreSQL 15 (where installed), a throwaway
 * cluster seeded with `tiny` through its URL. The tables must hold exactly what the embedded
 * PostgreSQL 18 gets, the checks must agree, and the logical cache and clone() must work there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedFarm, verifyFarm, type Farm } from '../../src/index.js';
import { seed } from '../../src/seed/seed-farm.js';
import { tableChecksums } from '../../src/db/checksum.js';
import { queryOnce, withClient } from '../../src/db/client.js';
import { startSystemCluster, systemPostgresBin, type SystemCluster } from '../support/postgres-cluster.js';

const bin = systemPostgresBin(15);
const MISSING = 'needs the PostgreSQL 15 server binaries (Debian package postgresql-15), which are not installed';

function checksums(url: string): Promise<unknown> {
  return withClient(url, (client) => tableChecksums(client));
}

async function serverVersion(url: string): Promise<number> {
  return Number((await queryOnce<{ v: string }>(url, `SELECT current_setting('server_version_num') AS v`)).rows[0]!.v);
}

describe.skipIf(!bin)(`seeding PostgreSQL 15 through a URL (${MISSING})`, () => {
  let cluster: SystemCluster;
  let cacheDir: string;
  let reference: Farm;

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-pg15-cache-'));
    await chmod(cacheDir, 0o755);
    cluster = await startSystemCluster(bin as string, 15);
    await withClient(cluster.url('postgres'), async (admin) => {
      await admin.query('CREATE DATABASE farm_a');
      await admin.query('CREATE DATABASE farm_b');
    });
    reference = await seedFarm({ preset: 'tiny', cacheDir });
  });

  afterAll(async () => {
    await reference?.close();
    await cluster?.stop();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('seeds tiny with the same table contents and check results as the embedded PostgreSQL 18', async () => {
    const url = cluster.url('farm_a');
    expect(Math.floor((await serverVersion(url)) / 10000)).toBe(15);
    const farm = await seedFarm({ preset: 'tiny', databaseUrl: url, cacheDir });
    try {
      expect(farm.summary.provider).toBe('external');
      expect(farm.summary.restored).toBeFalsy();
      expect(await checksums(url)).toEqual(await checksums(reference.url));
      const [on15, on18] = await Promise.all([verifyFarm(farm), verifyFarm(reference)]);
      expect(on15.checks.map((c) => [c.name, c.pass])).toEqual(on18.checks.map((c) => [c.name, c.pass]));
      expect(on15.checks.length).toBeGreaterThan(5);
    } finally {
      await farm.close();
    }
  });

  it('restores a second database from the PostgreSQL 15 logical snapshot, identical', async () => {
    const url = cluster.url('farm_b');
    const farm = await seedFarm({ preset: 'tiny', databaseUrl: url, cacheDir });
    try {
      expect(farm.summary.restored).toBe(true);
      expect(await checksums(url)).toEqual(await checksums(reference.url));
    } finally {
      await farm.close();
    }
  });

  it('clones the farm on PostgreSQL 15 (CREATE DATABASE … STRATEGY, no reflink setting)', async () => {
    const farm = await seed({ preset: 'tiny', databaseUrl: cluster.url('farm_a'), cacheDir, reuse: true });
    try {
      expect(farm.summary.reused).toBe(true);
      for (const strategy of ['FILE_COPY', 'WAL_LOG'] as const) {
        const clone = await farm.clone({ strategy });
        try {
          expect(await checksums(clone.url)).toEqual(await checksums(farm.url));
        } finally {
          await clone.close();
        }
      }
    } finally {
      await farm.close();
    }
  });
});
