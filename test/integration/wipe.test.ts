/**
 * `aquaseed wipe` on real PostgreSQL: a seeded tiny farm loses its operational data and keeps its
 * infrastructure and master data row for row; the farm is no longer served as seeded; a database
 * aquaseed did not seed is refused and left as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { seedFarm } from '../../src/index.js';
import { operationalTables } from '../../src/db/wipe.js';
import { tableNames } from '../../src/db/tables/index.js';
import { runCli } from '../support/cli.js';

let server: EmbeddedServer;
let admin: pg.Client;

async function withClient<T>(database: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server.url(database) });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

async function counts(database: string): Promise<Record<string, number>> {
  return withClient(database, async (client) => {
    const union = tableNames.map((name) => `SELECT '${name}' AS name, count(*)::int AS n FROM "${name}"`).join(' UNION ALL ');
    const { rows } = await client.query<{ name: string; n: number }>(union);
    return Object.fromEntries(rows.map((row) => [row.name, row.n]));
  });
}

beforeAll(async () => {
  server = await startEmbedded({ root: join(tmpdir(), 'aquaseed-test-embedded') });
  admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE wipe_farm');
  await admin.query('CREATE DATABASE wipe_foreign');
  await admin.query('CREATE DATABASE wipe_empty');
  await withClient('wipe_foreign', (client) => client.query('CREATE TABLE customers (id int PRIMARY KEY, name text); INSERT INTO customers VALUES (1, $$Ada$$)'));
});

afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

describe('aquaseed wipe', () => {
  it('removes the operational data in one go, keeps infrastructure and master data, and prints what it removed', async () => {
    const seeded = await runCli(['seed', 'tiny', '--database-url', server.url('wipe_farm'), '--quiet', '--json']);
    expect(seeded.code).toBe(0);
    const key = (JSON.parse(seeded.stdout) as { key: string }).key;
    const before = await counts('wipe_farm');
    const wiped = operationalTables();
    expect(before.batch_batch).toBe(4);

    const result = await runCli(['wipe', '--database-url', server.url('wipe_farm'), '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const summary = JSON.parse(lines.at(-1) as string) as { removed: Record<string, number>; totalRemoved: number; previousKey: string };
    const expectedRemoved = Object.fromEntries(wiped.map((name) => [name, before[name]]));
    expect(summary.removed).toEqual(expectedRemoved);
    expect(summary.totalRemoved).toBe(wiped.reduce((n, name) => n + (before[name] ?? 0), 0));
    expect(summary.previousKey).toBe(key);
    expect(lines[0]).toMatch(/^Wiped database wipe_farm in [\d.]+ s: removed [\d,]+ rows from \d+ tables\.$/);
    expect(result.stdout).toMatch(new RegExp(`^  environmental_environmentalreading\\s+${before.environmental_environmentalreading!.toLocaleString('en-US')}$`, 'm'));

    const after = await counts('wipe_farm');
    for (const name of tableNames) {
      expect({ name, rows: after[name] }).toEqual({ name, rows: wiped.includes(name) ? 0 : before[name] });
    }
    expect(after.infrastructure_container).toBeGreaterThan(1000);
    const marker = await withClient('wipe_farm', (client) => client.query<{ key: string; wiped: boolean }>('SELECT key, wiped_at IS NOT NULL AS wiped FROM aquaseed_farm'));
    expect(marker.rows).toEqual([{ key: `wiped:${key}`, wiped: true }]);
  });

  it('leaves verify nothing to judge on the wiped farm', async () => {
    const result = await runCli(['verify', '--database-url', server.url('wipe_farm'), '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as { checks: { name: string; result: string; skipped?: string }[] };
    const byName = Object.fromEntries(report.checks.map((check) => [check.name, check]));
    expect(byName.survival).toMatchObject({ result: 'SKIP' });
    expect(byName.containerConflicts).toMatchObject({ result: 'SKIP', skipped: 'no batch to judge' });
    expect(byName.environmentalLinkage).toMatchObject({ result: 'SKIP' });
    expect(report.checks.filter((check) => check.result === 'FAIL')).toEqual([]);
  });

  it('is not served as the seeded farm again: a reuse seeds it afresh', async () => {
    const farm = await seedFarm({ preset: 'tiny', databaseUrl: server.url('wipe_farm'), reuse: true, cache: false });
    try {
      expect(farm.summary.reused).toBe(false);
      expect((await farm.counts()).batch_batch).toBe(4);
    } finally {
      await farm.close();
    }
  });

  it('refuses a database aquaseed did not seed and leaves it untouched', async () => {
    const result = await runCli(['wipe', '--database-url', server.url('wipe_foreign')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^aquaseed: database "wipe_foreign" already holds 1 table\(s\) aquaseed did not create \(customers\); nothing was changed\n {2}fix: /);
    const rows = await withClient('wipe_foreign', (client) => client.query('SELECT id, name FROM customers'));
    expect(rows.rows).toEqual([{ id: 1, name: 'Ada' }]);
  });

  it('says an empty database holds no farm to wipe', async () => {
    const result = await runCli(['wipe', '--database-url', server.url('wipe_empty')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^aquaseed: database "wipe_empty" holds no aquaseed farm to wipe \(it has no tables\)\n {2}fix: seed it first/);
  });
});
