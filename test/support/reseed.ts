/**
 * Determinism checks: seed a farm's schedule again into a fresh database on the same server and
 * hold the two databases' table contents (per-table checksums) equal.
 */
import { withClient } from '../../src/db/client.js';
import { expect } from 'vitest';
import type { Farm } from '../../src/index.js';
import { tableChecksums } from '../../src/db/checksum.js';
import { seedDatabase, type SeedDatabaseOptions } from '../../src/seed/seed-database.js';

/** Both databases hold identical tables. */
export async function expectSameTables(urlA: string, urlB: string): Promise<void> {
  const [a, b] = await Promise.all([withClient(urlA, tableChecksums), withClient(urlB, tableChecksums)]);
  expect(b).toEqual(a);
}

/** Seeds `farm`'s schedule again into `database` (dropped first) and expects the same tables. */
export async function expectSameTablesSeededAgain(farm: Farm, database: string, options: Partial<SeedDatabaseOptions> = {}): Promise<void> {
  await withClient(farm.url.replace(/\/[^/]+$/, '/postgres'), async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
  });
  const url = farm.url.replace(/\/[^/]+$/, `/${database}`);
  await seedDatabase({ url, database, schedule: farm.schedule, key: farm.key, connections: 2, ...options });
  await expectSameTables(farm.url, url);
}
