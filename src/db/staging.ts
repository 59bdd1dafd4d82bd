/**
 * The staging schema a seed loads into. Users never see a half-seeded farm: everything is loaded
 * and indexed in `aquaseed_staging_<id>`, then published into the target schema in one
 * transaction (catalog-only `ALTER TABLE … SET SCHEMA`), or dropped on failure.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { tableNames, type TableName } from './tables/index.js';
import { createTableSql, foreignKeyStatements, indexStatements, keyStatements, sequenceStatements } from './ddl.js';
import { ident, qualified } from './identifiers.js';
import { MARKER_TABLE } from './guard.js';
import { runParallel } from './parallel.js';

export const STAGING_PREFIX = 'aquaseed_staging_';

export function stagingSchemaName(): string {
  return `${STAGING_PREFIX}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

export async function createStaging(client: pg.ClientBase, schema: string): Promise<void> {
  const statements = [`CREATE SCHEMA ${ident(schema)}`, ...tableNames.map((name) => createTableSql(schema, name))];
  await client.query(statements.join(';\n'));
}

/** Drops staging schemas left by seeds that died (the caller holds the database's seed lock). */
export async function dropAbandonedStaging(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`,
    [STAGING_PREFIX],
  );
  for (const row of rows) await client.query(`DROP SCHEMA IF EXISTS ${ident(row.nspname)} CASCADE`);
}

export interface FinalizeTimings {
  keys: number;
  indexes: number;
  analyze: number;
}

/** Keys, then foreign keys (one connection: they lock two tables each) beside the index builds. */
export async function finalizeStaging(
  connectionString: string,
  schema: string,
  rowCounts: ReadonlyMap<TableName, number>,
  connections: number,
): Promise<FinalizeTimings> {
  const weight = (statement: { table: TableName }): number => rowCounts.get(statement.table) ?? 0;
  let mark = performance.now();
  await runParallel(connectionString, keyStatements(schema), connections, weight);
  const keys = (performance.now() - mark) / 1000;
  mark = performance.now();
  await Promise.all([
    runParallel(connectionString, foreignKeyStatements(schema), 1, weight),
    runParallel(connectionString, [...indexStatements(schema), ...sequenceStatements(schema)], Math.max(1, connections - 1), weight),
  ]);
  const indexes = (performance.now() - mark) / 1000;
  mark = performance.now();
  const loaded = tableNames.filter((name) => (rowCounts.get(name) ?? 0) > 0);
  await runParallel(
    connectionString,
    loaded.map((table) => ({ table, sql: `ANALYZE ${qualified(schema, table)}` })),
    connections,
    weight,
  );
  return { keys, indexes, analyze: (performance.now() - mark) / 1000 };
}

export interface FarmMarker {
  key: string;
  preset: string;
  packageVersion: string;
  engineVersion: number;
  schemaVersion: number;
  schedule: unknown;
  rowCounts: Record<string, number>;
}

/**
 * Replaces the target schema's farm with the staged one atomically. The caller has checked (under
 * the seed lock) that the target holds nothing but a previous aquaseed farm.
 */
export async function publishStaging(client: pg.ClientBase, staging: string, target: string, marker: FarmMarker): Promise<void> {
  const statements = [
    'BEGIN',
    `CREATE SCHEMA IF NOT EXISTS ${ident(target)}`,
    `DROP TABLE IF EXISTS ${[...tableNames, MARKER_TABLE].map((name) => qualified(target, name)).join(', ')} CASCADE`,
    ...tableNames.map((name) => `ALTER TABLE ${qualified(staging, name)} SET SCHEMA ${ident(target)}`),
    `CREATE TABLE ${qualified(target, MARKER_TABLE)} (
       key text NOT NULL, preset text NOT NULL, package_version text NOT NULL,
       engine_version integer NOT NULL, schema_version integer NOT NULL,
       schedule jsonb NOT NULL, row_counts jsonb NOT NULL)`,
    `COMMENT ON TABLE ${qualified(target, MARKER_TABLE)} IS 'Written by aquaseed: which farm this database holds. Do not edit.'`,
  ].join(';\n');
  await client.query(statements);
  try {
    await client.query(
      `INSERT INTO ${qualified(target, MARKER_TABLE)} VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        marker.key,
        marker.preset,
        marker.packageVersion,
        marker.engineVersion,
        marker.schemaVersion,
        JSON.stringify(marker.schedule),
        JSON.stringify(marker.rowCounts),
      ],
    );
    await client.query(`DROP SCHEMA ${ident(staging)}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
