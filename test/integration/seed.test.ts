/**
 * The foundation end to end on a real (embedded) PostgreSQL: the single-batch farm lands with
 * AquaMind's exact schema, meets the quality ranges, and is identical when seeded twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { connectClient } from '../../src/db/client.js';
import { seedFarm, type Farm } from '../../src/index.js';
import { tables, tableNames } from '../../src/schema/tables/index.js';
import type { TableSpec } from '../../src/schema/table.js';

const spec = (name: (typeof tableNames)[number]): TableSpec => tables[name];
import { expectSameTablesSeededAgain } from '../support/reseed.js';
import { expectMortalityInsertPastLoadedIds } from '../support/sequences.js';

let farm: Farm;
let client: pg.Client;

beforeAll(async () => {
  farm = await seedFarm('single-batch');
  client = await connectClient(farm.url);
});

afterAll(async () => {
  await client?.end();
  await farm?.close();
});

describe('schema', () => {
  it('creates every table with AquaMind’s column names, types and nullability', async () => {
    const { rows } = await client.query<{ table_name: string; column_name: string; type: string; is_nullable: string }>(
      `SELECT c.table_name, c.column_name, format_type(a.atttypid, a.atttypmod) AS type, c.is_nullable
         FROM information_schema.columns c
         JOIN pg_attribute a ON a.attrelid = ('public.' || quote_ident(c.table_name))::regclass AND a.attname = c.column_name
        WHERE c.table_schema = 'public' AND c.table_name <> 'aquaseed_farm'`,
    );
    const actual = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, `${normalise(r.type)}${r.is_nullable === 'YES' ? '?' : ''}`]));
    const expected = new Map(
      tableNames.flatMap((name) => Object.entries(spec(name).columns).map(([column, type]) => [`${name}.${column}`, type as string])),
    );
    expect(actual).toEqual(expected);
  });

  it('has the primary keys, DEFERRABLE foreign keys and named indexes of the definitions', async () => {
    const pks = await client.query(`SELECT conrelid::regclass::text AS t FROM pg_constraint WHERE contype = 'p' AND connamespace = 'public'::regnamespace`);
    expect(pks.rowCount).toBe(tableNames.length + 0);
    const fks = await client.query<{ deferrable: boolean; deferred: boolean }>(
      `SELECT condeferrable AS deferrable, condeferred AS deferred FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
    );
    const expectedFks = tableNames.reduce((n, name) => n + Object.keys(spec(name).references ?? {}).length, 0);
    expect(fks.rowCount).toBe(expectedFks);
    expect(fks.rows.every((r) => r.deferrable && r.deferred)).toBe(true);
    const named = tableNames.flatMap((name) => (spec(name).indexes ?? []).map((index) => index.name));
    const { rows } = await client.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`);
    const present = new Set(rows.map((r) => r.indexname));
    expect(named.filter((name) => !present.has(name))).toEqual([]);
  });

  it('sets sequences past the loaded IDs so the app under test can insert', async () => {
    await expectMortalityInsertPastLoadedIds(client);
  });
});

describe('the farm', () => {
  it('holds the infrastructure of AquaMind’s synthetic layout', async () => {
    const counts = await farm.counts();
    expect(counts.infrastructure_geography).toBe(2);
    expect(counts.infrastructure_freshwaterstation).toBe(22);
    expect(counts.infrastructure_hall).toBe(110);
    expect(counts.infrastructure_area).toBe(42);
    expect(counts.infrastructure_sensor).toBe(11_060);
    expect(counts.infrastructure_feedcontainer).toBe(236);
    expect(counts.batch_batch).toBe(1);
    expect(counts.environmental_environmentalreading).toBeGreaterThan(250_000);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(farm.summary.totalRows);
  });

  it('records the seed in the marker table with the schedule key', async () => {
    const { rows } = await client.query<{ key: string; preset: string }>('SELECT key, preset FROM aquaseed_farm');
    expect(rows).toEqual([{ key: farm.key, preset: 'single-batch' }]);
  });

  it('gives identical table contents when the same schedule is seeded again', async () => {
    await expectSameTablesSeededAgain(farm, 'determinism_check');
  });
});

function normalise(type: string): string {
  return type
    .replace('character varying', 'varchar')
    .replace('timestamp with time zone', 'timestamptz')
    .replace('double precision', 'float8')
    .replace('time without time zone', 'time')
    .replace(/numeric\((\d+),(\d+)\)/, 'numeric($1,$2)');
}
