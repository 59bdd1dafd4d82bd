/**
 * aquaseed against the ground truth: the catalog of a real AquaMind (cb410300) as Django's own
 * migrations build it (test/fixtures/aquamind-cb410300). Every table aquaseed creates must be that
 * table, column by column, constraint by constraint, index by index; a database migrated from the
 * catalog takes the farm in existing-schema mode with every constraint holding; an older AquaMind
 * without the finance_core app is seeded without its tables, and says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { seedFarm, verifyFarm } from '../../src/index.js';
import { seed } from '../../src/seed/seed-farm.js';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { defaultCacheDir } from '../../src/host/cache-dir.js';
import { planSchedule } from '../../src/preset-files/resolve.js';
import { scheduleKey } from '../../src/cache/key.js';
import { seedDatabase } from '../../src/seed/seed-database.js';
import { tableNames, writtenTableNames } from '../../src/schema/tables/index.js';
import { tableChecksums } from '../../src/db/checksum.js';
import { connectClient, queryOnce } from '../../src/db/client.js';
import { ident } from '../../src/schema/identifiers.js';
import {
  createAquaMindDatabase,
  foreignKeyViolations,
  invalidConstraints,
  readAquaMindCatalog,
  type AquaMindCatalog,
} from '../../bench/aquamind-database.js';
import { runCli } from '../support/cli.js';
import { containingAll } from '../support/containing-all.js';

const catalog = readAquaMindCatalog();
const FINANCE_CORE = [
  'finance_core_costcenter',
  'finance_core_costcenterbatchlink',
  'finance_core_periodlock',
  'finance_core_historicalcostcenter',
  'finance_core_historicalcostcenterbatchlink',
  'finance_core_historicalperiodlock',
];
let server: EmbeddedServer;
let created: pg.Client;

async function createDatabase(name: string): Promise<pg.Client> {
  await queryOnce(server.url('postgres'), `CREATE DATABASE ${ident(name)}`);
  return connectClient(server.url(name));
}

/** What the database holds for `tables`, one line per column, constraint and index, in the catalog's spelling. */
async function describeTables(client: pg.Client, tables: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const columns = await client.query<{ t: string; c: string; type: string; not_null: boolean }>(
    `SELECT r.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
       FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid
      WHERE r.relnamespace = 'public'::regnamespace AND r.relname = ANY($1::text[]) AND a.attnum > 0 AND NOT a.attisdropped`,
    [tables],
  );
  for (const row of columns.rows) {
    out.set(`column ${row.t}.${row.c}`, `${row.type.replace(/^character varying/, 'varchar')} ${row.not_null ? 'NOT NULL' : 'NULL'}`);
  }
  // PostgreSQL 18 lists NOT NULLs as constraints too ('n'); the catalog (PostgreSQL 15) has them as column nullability.
  const constraints = await client.query<{ t: string; n: string; d: string }>(
    `SELECT r.relname AS t, k.conname AS n, pg_get_constraintdef(k.oid) AS d FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid
      WHERE r.relnamespace = 'public'::regnamespace AND r.relname = ANY($1::text[]) AND k.contype IN ('p', 'u', 'f', 'c', 'x')`,
    [tables],
  );
  for (const row of constraints.rows) out.set(`constraint ${row.t}.${row.n}`, row.d);
  const indexes = await client.query<{ t: string; n: string; d: string }>(
    `SELECT t.relname AS t, i.relname AS n, pg_get_indexdef(x.indexrelid) AS d
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1::text[])`,
    [tables],
  );
  for (const row of indexes.rows) out.set(`index ${row.t}.${row.n}`, row.d);
  return out;
}

function describeCatalog(source: AquaMindCatalog, tables: readonly string[]): Map<string, string> {
  const wanted = new Set(tables);
  const out = new Map<string, string>();
  for (const c of source.columns.filter((c) => wanted.has(c.table))) out.set(`column ${c.table}.${c.column}`, `${c.type} ${c.nullable ? 'NULL' : 'NOT NULL'}`);
  for (const c of source.constraints.filter((c) => wanted.has(c.table))) out.set(`constraint ${c.table}.${c.name}`, c.definition);
  for (const i of source.indexes.filter((i) => wanted.has(i.table))) out.set(`index ${i.table}.${i.name}`, i.definition);
  return out;
}

/** Every difference, as `<what> <table>.<name>: aquaseed …, AquaMind …`. */
function differences(ours: Map<string, string>, theirs: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [what, definition] of ours) {
    const expected = theirs.get(what);
    if (expected !== definition) out.push(`${what}: aquaseed ${definition}, AquaMind ${expected ?? '(none)'}`);
  }
  for (const [what, definition] of theirs) if (!ours.has(what)) out.push(`${what}: aquaseed (none), AquaMind ${definition}`);
  return out.sort();
}

beforeAll(async () => {
  server = await startEmbedded({ root: join(defaultCacheDir(), 'embedded') });
  created = await createDatabase('created_schema');
  const schedule = planSchedule('tiny');
  await seedDatabase({ url: server.url('created_schema'), database: 'created_schema', schedule, key: scheduleKey(schedule) });
});

afterAll(async () => {
  await created?.end();
  await server?.stop();
});

describe('the tables aquaseed creates', () => {
  it('are AquaMind cb410300’s own, column by column, constraint by constraint, index by index', async () => {
    // 121 tables hold the farm's rows; 4 broodstock tables are created empty for a foreign key into them.
    expect(writtenTableNames).toHaveLength(121);
    expect(tableNames).toHaveLength(125);
    const inCatalog = new Set(catalog.columns.map((c) => c.table));
    expect(tableNames.filter((name) => !inCatalog.has(name))).toEqual([]);
    const ours = await describeTables(created, tableNames);
    const theirs = describeCatalog(catalog, tableNames);
    expect(differences(ours, theirs)).toEqual([]);
    // The comparison covered something of every kind on every table.
    for (const name of tableNames) {
      expect([...theirs.keys()].some((k) => k.startsWith(`column ${name}.`)), name).toBe(true);
      expect([...theirs.keys()].some((k) => k.startsWith(`constraint ${name}.`)), name).toBe(true);
      expect([...theirs.keys()].some((k) => k.startsWith(`index ${name}.`)), name).toBe(true);
    }
    expect(theirs.size).toBe(2882);
  });

  it('name the table and the column when a definition drifts', async () => {
    const drifted = new Map(await describeTables(created, ['batch_batch']));
    drifted.set('column batch_batch.notes', 'text NULL');
    drifted.delete('index batch_batch.batch_batch_batch_number_76d3bae2_like');
    const found = differences(drifted, describeCatalog(catalog, ['batch_batch']));
    expect(found).toEqual([
      'column batch_batch.notes: aquaseed text NULL, AquaMind text NOT NULL',
      expect.stringMatching(/^index batch_batch\.batch_batch_batch_number_\w+_like: aquaseed \(none\), AquaMind CREATE INDEX/),
    ]);
  });
});

describe('a database migrated from the catalog (existing-schema mode)', () => {
  it('takes `aquaseed seed single-batch --existing-schema`, and every constraint of the catalog holds', async () => {
    const client = await createDatabase('aquamind_single_batch');
    const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-catalog-'));
    try {
      await createAquaMindDatabase(client, { bare: true });
      const result = await runCli(['seed', 'single-batch', '--existing-schema', '--database-url', server.url('aquamind_single_batch'), '--cache-dir', cacheDir, '--json', '--quiet']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as { rows: number };
      expect(summary.rows).toBeGreaterThan(400_000);
      expect(await foreignKeyViolations(client, tableNames)).toEqual([]);
      expect(await invalidConstraints(client)).toEqual([]);
      // Every constraint and index of the catalog is still there as migrated.
      const all = catalog.columns.map((c) => c.table);
      expect(differences(await describeTables(client, [...new Set(all)]), describeCatalog(catalog, all))).toEqual([]);
      const batches = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM batch_batch');
      expect(batches.rows[0]!.n).toBe(1);
    } finally {
      await client.end();
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('an AquaMind version without the finance_core app', () => {
  let client: pg.Client;
  let cacheDir: string;
  const schedule = planSchedule('tiny');

  beforeAll(async () => {
    client = await createDatabase('aquamind_no_finance_core');
    cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-catalog-'));
    await createAquaMindDatabase(client, { withoutApps: ['finance_core'] });
  });

  afterAll(async () => {
    await client?.end();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it('is seeded without its tables, with one notice line naming them', async () => {
    const url = server.url('aquamind_no_finance_core');
    const result = await runCli(['seed', 'tiny', '--existing-schema', '--database-url', url, '--cache-dir', cacheDir]);
    expect(result.code).toBe(0);
    // stderr holds the progress lines (`[aquaseed] <preset>: <phase> … (1.2 s)`) and the one notice.
    const lines = result.stderr.split('\n').filter((line) => line !== '' && !/^\[aquaseed\] /.test(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aquaseed: existing-schema mode: database "aquamind_no_finance_core" has none of the tables of the app finance_core \(/);
    for (const table of FINANCE_CORE) expect(lines[0]).toContain(table);
    expect(lines[0]).toMatch(/: an AquaMind version from before it; the farm is seeded without these 6 tables$/);

    const present = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'finance_core%'`);
    expect(present.rows[0]!.n).toBe(0);
    expect(await foreignKeyViolations(client, tableNames)).toEqual([]);
    const farm = await seed({ schedule, databaseUrl: url, schema: 'existing', reuse: true, cacheDir, onNotice: () => {} });
    try {
      const counts = await farm.counts();
      expect(counts.batch_batch).toBe(schedule.batches.length);
      expect(Object.keys(counts).filter((name) => name.startsWith('finance_core'))).toEqual([]);
      expect(Object.keys(farm.summary.rowCounts).filter((name) => name.startsWith('finance_core'))).toEqual([]);
      const report = await verifyFarm(farm);
      expect(report.checks.filter((check) => !check.pass)).toEqual([]);
    } finally {
      await farm.close();
    }
  });

  it('leaves a complete cache entry behind: a created-schema seed restored from it has the finance_core rows', async () => {
    const fresh = await createDatabase('no_finance_core_restored');
    try {
      const restored = await seedFarm({ schedule, databaseUrl: server.url('no_finance_core_restored'), cacheDir });
      try {
        expect(restored.summary.restored).toBe(true);
        expect(await tableChecksums(fresh)).toEqual(await tableChecksums(created));
      } finally {
        await restored.close();
      }
    } finally {
      await fresh.end();
    }
  });

  it('still refuses a finance_core table that exists but differs, or an app with only some of its tables', async () => {
    const partial = await createDatabase('aquamind_partial_finance_core');
    try {
      await createAquaMindDatabase(partial, { bare: true });
      await partial.query('DROP TABLE finance_core_historicalperiodlock');
      await partial.query('ALTER TABLE finance_core_periodlock DROP COLUMN lock_reason');
      await expect(seedFarm({ schedule, databaseUrl: server.url('aquamind_partial_finance_core'), schema: 'existing', cache: false })).rejects.toMatchObject({
        code: 'AQUASEED_SCHEMA_MISMATCH',
        message: containingAll('finance_core_historicalperiodlock: expected a table, found no such table', 'finance_core_periodlock.lock_reason: expected'),
      });
    } finally {
      await partial.end();
    }
  });
});
