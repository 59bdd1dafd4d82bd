/**
 * Determinism checks: seed a farm's schedule again into a fresh database on the same server and
 * hold the two databases' table contents (per-table checksums) equal.
 */
import pg from 'pg';
import { expect } from 'vitest';
import type { Farm } from '../../src/index.js';
import { tableChecksums } from '../../src/db/checksum.js';
import { seedDatabase, type SeedDatabaseOptions } from '../../src/seed/seed-database.js';

/** Both databases hold identical tables. */
export async function expectSameTables(urlA: string, urlB: string): Promise<void> {
  const [a, b] = [new pg.Client({ connectionString: urlA }), new pg.Client({ connectionString: urlB })];
  await Promise.all([a.connect(), b.connect()]);
  try {
    expect(await tableChecksums(b)).toEqual(await tableChecksums(a));
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
}

/** Seeds `farm`'s schedule again into `database` (dropped first) and expects the same tables. */
export async function expectSameTablesSeededAgain(farm: Farm, database: string, options: Partial<SeedDatabaseOptions> = {}): Promise<void> {
  const admin = new pg.Client({ connectionString: farm.url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const url = farm.url.replace(/\/[^/]+$/, `/${database}`);
  await seedDatabase({ url, database, schedule: farm.schedule, key: farm.key, connections: 2, ...options });
  await expectSameTables(farm.url, url);
}
