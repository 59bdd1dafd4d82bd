/**
 * The staging schema a seed loads into. Users never see a half-seeded farm: everything is loaded
 * and indexed in `aquaseed_staging_<id>`, then published into the target schema in one
 * transaction (catalog-only `ALTER TABLE … SET SCHEMA`), or dropped on failure.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { tableNames, type TableName } from '../schema/tables/index.js';
import {
  createTableSql,
  foreignKeyStatements,
  indexStatements,
  keyStatements,
  referencedTables,
  sequenceStatements,
  type DdlStatement,
} from './ddl.js';
import { ident, qualified } from '../schema/identifiers.js';
import { MARKER_TABLE, markerTableStatements, writeMarker, type FarmMarker } from './marker.js';
import { runParallel } from './parallel.js';
import { withTransaction } from './client.js';

export const STAGING_PREFIX = 'aquaseed_staging_';

export function stagingSchemaName(): string {
  return `${STAGING_PREFIX}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/**
 * `unlogged`: for a staging schema that is only read from and then dropped (existing-schema mode
 * copies its rows into the database's own tables), so the load writes no WAL twice.
 */
export async function createStaging(client: pg.ClientBase, schema: string, options: { unlogged?: boolean } = {}): Promise<void> {
  const create = (name: TableName): string => {
    const sql = createTableSql(schema, name);
    return options.unlogged ? sql.replace(/^CREATE TABLE /, 'CREATE UNLOGGED TABLE ') : sql;
  };
  const statements = [`CREATE SCHEMA ${ident(schema)}`, ...tableNames.map(create)];
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
  /** Foreign keys, indexes and ANALYZE, which overlap. */
  indexes: number;
  analyze: number;
}

/** Below this many rows a table's statements go to the server as one round trip. */
const SMALL_TABLE_ROWS = 20_000;

/**
 * Keys of the tables foreign keys point at first; then, at once, the foreign keys on one
 * connection (each locks two tables, so two at a time could deadlock) beside a pool building every
 * other key and index largest table first, then ANALYZE.
 */
export async function finalizeStaging(
  connectionString: string,
  schema: string,
  rowCounts: ReadonlyMap<TableName, number>,
  connections: number,
): Promise<FinalizeTimings> {
  const rows = (table: TableName): number => rowCounts.get(table) ?? 0;
  const weight = (statement: DdlStatement): number => rows(statement.table);
  const referenced = referencedTables();
  const keys = keyStatements(schema);

  let mark = performance.now();
  await runParallel(connectionString, batchSmallTables(keys.filter((k) => referenced.has(k.table)), rows), connections, weight);
  const keysSeconds = (performance.now() - mark) / 1000;

  mark = performance.now();
  const loaded = tableNames.filter((table) => rows(table) > 0);
  const small = loaded.filter((table) => rows(table) < SMALL_TABLE_ROWS);
  const pool = batchSmallTables([
    ...keys.filter((k) => !referenced.has(k.table)),
    ...indexStatements(schema),
    ...sequenceStatements(schema),
  ], rows);
  // ANALYZE of a table queues behind its own index builds (their locks conflict) but overlaps the
  // builds of the others; the small tables share one ANALYZE at the end.
  const analyze: DdlStatement[] = loaded
    .filter((table) => rows(table) >= SMALL_TABLE_ROWS)
    .map((table) => ({ table, sql: `ANALYZE ${qualified(schema, table)}` }));
  const analyzeWeight = (statement: DdlStatement): number => (analyze.includes(statement) ? rows(statement.table) - 0.5 : weight(statement));
  const first = small[0];
  const tail: DdlStatement[] = first ? [{ table: first, sql: `ANALYZE ${small.map((table) => qualified(schema, table)).join(', ')}` }] : [];
  await Promise.all([
    runParallel(connectionString, batchSmallTables(foreignKeyStatements(schema), rows), 1, weight),
    runParallel(connectionString, [...pool, ...analyze], connections, analyzeWeight),
  ]);
  await runParallel(connectionString, tail, 1);
  const indexes = (performance.now() - mark) / 1000;
  return { keys: keysSeconds, indexes, analyze: 0 };
}

/** Joins the statements of each small table into one, so tiny tables cost one round trip each. */
function batchSmallTables(statements: readonly DdlStatement[], rows: (table: TableName) => number): DdlStatement[] {
  const out: DdlStatement[] = [];
  const small = new Map<TableName, string[]>();
  for (const statement of statements) {
    if (rows(statement.table) >= SMALL_TABLE_ROWS) {
      out.push(statement);
      continue;
    }
    let list = small.get(statement.table);
    if (!list) small.set(statement.table, (list = []));
    list.push(statement.sql);
  }
  for (const [table, sqls] of small) out.push({ table, sql: sqls.join(';\n') });
  return out;
}

/**
 * Replaces the target schema's farm with the staged one atomically. The caller has checked (under
 * the seed lock) that the target holds nothing but a previous aquaseed farm.
 */
export async function publishStaging(client: pg.ClientBase, staging: string, target: string, marker: FarmMarker): Promise<void> {
  await withTransaction(client, async () => {
    await client.query(
      [
        `CREATE SCHEMA IF NOT EXISTS ${ident(target)}`,
        `DROP TABLE IF EXISTS ${[...tableNames, MARKER_TABLE].map((name) => qualified(target, name)).join(', ')} CASCADE`,
        ...tableNames.map((name) => `ALTER TABLE ${qualified(staging, name)} SET SCHEMA ${ident(target)}`),
        ...markerTableStatements(target),
      ].join(';\n'),
    );
    await writeMarker(client, target, marker);
    await client.query(`DROP SCHEMA ${ident(staging)}`);
  });
}
