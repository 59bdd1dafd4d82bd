/**
 * `aquaseed wipe` on real PostgreSQL: a seeded tiny farm loses its operational data and keeps its
 * infrastructure and master data row for row; the farm is no longer served as seeded; a database
 * aquaseed did not seed is refused and left as it was. A farm seeded into a Django-migrated
 * AquaMind loses only what the seed put in, and the database's own rows and objects stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type pg from 'pg';
import { connectClient, withClient } from '../../src/db/client.js';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { defaultCacheDir } from '../../src/host/cache-dir.js';
import { seed } from '../../src/seed/seed-farm.js';
import { operationalTables } from '../../src/db/wipe.js';
import { tableNames } from '../../src/schema/tables/index.js';
import { REPLACED_TABLES } from '../../src/db/existing-schema.js';
import { MARKER_TABLE } from '../../src/db/marker.js';
import { databaseState } from '../../src/db/checksum.js';
import { createAquaMindDatabase, FOREIGN_TABLE, foreignKeyViolations, invalidConstraints } from '../../bench/aquamind-database.js';
import { runCli } from '../support/cli.js';

let server: EmbeddedServer;
let admin: pg.Client;

function onDatabase<T>(database: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(server.url(database), body);
}

async function counts(database: string): Promise<Record<string, number>> {
  return onDatabase(database, async (client) => {
    const union = tableNames.map((name) => `SELECT '${name}' AS name, count(*)::int AS n FROM "${name}"`).join(' UNION ALL ');
    const { rows } = await client.query<{ name: string; n: number }>(union);
    return Object.fromEntries(rows.map((row) => [row.name, row.n]));
  });
}

beforeAll(async () => {
  server = await startEmbedded({ root: join(defaultCacheDir(), 'embedded') });
  admin = await connectClient(server.url('postgres'));
  await admin.query('CREATE DATABASE wipe_farm');
  await admin.query('CREATE DATABASE wipe_foreign');
  await admin.query('CREATE DATABASE wipe_empty');
  await onDatabase('wipe_foreign', (client) => client.query('CREATE TABLE customers (id int PRIMARY KEY, name text); INSERT INTO customers VALUES (1, $$Ada$$)'));
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
    const marker = await onDatabase('wipe_farm', (client) => client.query<{ key: string; wiped: boolean }>('SELECT key, wiped_at IS NOT NULL AS wiped FROM aquaseed_farm'));
    expect(marker.rows).toEqual([{ key: `wiped:${key}`, wiped: true }]);
  });

  it('makes verify fail for missing data on the wiped farm (exit 2): no check skips for want of data', async () => {
    const result = await runCli(['verify', '--database-url', server.url('wipe_farm'), '--json']);
    expect(result.code, result.stderr).toBe(2);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as { pass: boolean; checks: { name: string; result: string; missing?: string }[] };
    const byName = Object.fromEntries(report.checks.map((check) => [check.name, check]));
    expect(report.pass).toBe(false);
    expect(byName.survival).toMatchObject({ result: 'MISSING', missing: expect.stringMatching(/^the farm was wiped \(aquaseed wipe\)/) });
    expect(byName.containerConflicts).toMatchObject({ result: 'MISSING' });
    expect(byName.environmentalLinkage).toMatchObject({ result: 'MISSING' });
    expect(report.checks.filter((check) => check.result === 'SKIP')).toEqual([]);
  });

  it('is not served as the seeded farm again: a reuse seeds it afresh', async () => {
    const farm = await seed({ preset: 'tiny', databaseUrl: server.url('wipe_farm'), reuse: true, cache: false });
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
    expect(result.stderr).toMatch(/^aquaseed \[AQUASEED_FOREIGN_DATABASE\]: database "wipe_foreign" already holds 1 table\(s\) aquaseed did not create \(customers\); nothing was changed\n {2}fix: /);
    const rows = await onDatabase('wipe_foreign', (client) => client.query('SELECT id, name FROM customers'));
    expect(rows.rows).toEqual([{ id: 1, name: 'Ada' }]);
  });

  it('says an empty database holds no farm to wipe', async () => {
    const result = await runCli(['wipe', '--database-url', server.url('wipe_empty')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^aquaseed \[AQUASEED_NOT_SEEDED\]: database "wipe_empty" holds no aquaseed farm to wipe \(it has no tables\)\n {2}fix: seed it first/);
  });
});

describe('aquaseed wipe on a farm seeded into a Django-migrated AquaMind (existing-schema mode)', () => {
  const replacedOperational = operationalTables().filter((name) => REPLACED_TABLES.includes(name));

  async function createAquaMind(database: string, options: Parameters<typeof createAquaMindDatabase>[1] = {}): Promise<void> {
    await admin.query(`CREATE DATABASE ${database}`);
    await onDatabase(database, (client) => createAquaMindDatabase(client, options));
  }

  async function seedExisting(database: string): Promise<void> {
    const seeded = await runCli(['seed', 'tiny', '--existing-schema', '--database-url', server.url(database), '--no-cache', '--quiet']);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
  }

  /** Every constraint and index of the database's public schema, with its definition. */
  function definitions(database: string): Promise<string[]> {
    return onDatabase(database, async (client) => {
      const { rows } = await client.query<{ line: string }>(
        `SELECT format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) AS line FROM pg_constraint WHERE connamespace = 'public'::regnamespace
         UNION ALL
         SELECT format('%s %s', indexrelid::regclass, pg_get_indexdef(indexrelid)) FROM pg_index JOIN pg_class c ON c.oid = indexrelid WHERE c.relnamespace = 'public'::regnamespace
         ORDER BY 1`,
      );
      return rows.map((row) => row.line);
    });
  }

  beforeAll(async () => {
    await createAquaMind('wipe_aquamind');
    await seedExisting('wipe_aquamind');
  });

  it('empties only the operational tables the seed replaced; every other table, sequence, constraint and index stays as it was', async () => {
    const before = await onDatabase('wipe_aquamind', databaseState);
    const definitionsBefore = await definitions('wipe_aquamind');
    expect(before.tables['public.batch_batch']!.rows).toBe(4);
    expect(before.tables[`public.${FOREIGN_TABLE}`]!.rows).toBe(2);

    const result = await runCli(['wipe', '--database-url', server.url('wipe_aquamind'), '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as { removed: Record<string, number>; previousKey: string | null };
    expect(summary.removed).toEqual(Object.fromEntries(replacedOperational.map((name) => [name, before.tables[`public.${name}`]!.rows])));
    expect(summary.previousKey).toMatch(/^[0-9a-f]{64}$/);

    const after = await onDatabase('wipe_aquamind', databaseState);
    const wiped = new Set(replacedOperational.map((name) => `public.${name}`));
    expect(Object.keys(after.tables)).toEqual(Object.keys(before.tables));
    for (const [table, state] of Object.entries(before.tables)) {
      if (table === `public.${MARKER_TABLE}`) continue;
      expect({ table, state: after.tables[table] }).toEqual({ table, state: wiped.has(table) ? { rows: 0, md5: '' } : state });
    }
    expect(after.sequences).toEqual(before.sequences);
    expect(await definitions('wipe_aquamind')).toEqual(definitionsBefore);
    await onDatabase('wipe_aquamind', async (client) => {
      expect(await foreignKeyViolations(client, tableNames)).toEqual([]);
      expect(await invalidConstraints(client)).toEqual([]);
      const marker = await client.query<{ key: string }>(`SELECT key FROM ${MARKER_TABLE}`);
      expect(marker.rows).toEqual([{ key: `wiped:${summary.previousKey}` }]);
    });
  });

  it('is seeded again afterwards', async () => {
    await seedExisting('wipe_aquamind');
    const batches = await onDatabase('wipe_aquamind', (client) => client.query<{ n: number }>('SELECT count(*)::int AS n FROM batch_batch'));
    expect(batches.rows).toEqual([{ n: 4 }]);
  });

  it('is refused, changing nothing, while a row of the database’s own points at a batch', async () => {
    await onDatabase('wipe_aquamind', (client) =>
      client.query(
        `CREATE TABLE public.crm_batchnote (id int PRIMARY KEY, batch_id bigint NOT NULL CONSTRAINT crm_batchnote_batch_id_fk REFERENCES public.batch_batch (id) DEFERRABLE INITIALLY DEFERRED);
         INSERT INTO public.crm_batchnote SELECT 1, min(id) FROM public.batch_batch`,
      ),
    );
    const before = await onDatabase('wipe_aquamind', databaseState);
    const definitionsBefore = await definitions('wipe_aquamind');

    const result = await runCli(['wipe', '--database-url', server.url('wipe_aquamind')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^aquaseed \[AQUASEED_LOAD_FAILED\]: foreign key crm_batchnote_batch_id_fk of public\.crm_batchnote \(FOREIGN KEY \(batch_id\) REFERENCES public\.batch_batch\(id\) DEFERRABLE INITIALLY DEFERRED\) no longer holds after wiping the farm's rows: .*; nothing was changed\n {2}fix: rows in public\.crm_batchnote point at the farm's rows; delete them/,
    );
    expect(await onDatabase('wipe_aquamind', databaseState)).toEqual(before);
    expect(await definitions('wipe_aquamind')).toEqual(definitionsBefore);
  });

  it('leaves out the tables of an app the AquaMind version predates', async () => {
    await createAquaMind('wipe_aquamind_old', { withoutApps: ['finance_core'] });
    await seedExisting('wipe_aquamind_old');
    const result = await runCli(['wipe', '--database-url', server.url('wipe_aquamind_old'), '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as { removed: Record<string, number>; kept: Record<string, number> };
    const withoutFinanceCore = replacedOperational.filter((name) => !name.startsWith('finance_core_'));
    expect(withoutFinanceCore.length).toBeLessThan(replacedOperational.length);
    expect(Object.keys(summary.removed).sort()).toEqual(withoutFinanceCore.sort());
    expect(Object.keys(summary.kept).filter((name) => name.startsWith('finance_core_'))).toEqual([]);
    expect(summary.removed.batch_batch).toBe(4);
  });

  it('says a Django-migrated database aquaseed has not seeded holds no farm to wipe, and leaves it as it was', async () => {
    await createAquaMind('wipe_aquamind_unseeded', { bare: true });
    const before = await onDatabase('wipe_aquamind_unseeded', databaseState);
    const result = await runCli(['wipe', '--database-url', server.url('wipe_aquamind_unseeded')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^aquaseed \[AQUASEED_NOT_SEEDED\]: database "wipe_aquamind_unseeded" is a Django-migrated database aquaseed has not seeded \(it has no aquaseed_farm table\): there is no farm to wipe; nothing was changed\n {2}fix: seed it first \(`aquaseed seed <preset> --existing-schema/,
    );
    expect(await onDatabase('wipe_aquamind_unseeded', databaseState)).toEqual(before);
  });
});
