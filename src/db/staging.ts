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
  keyAttachStatements,
  keyIndexStatements,
  keyStatements,
  referencedTables,
  sequenceStatements,
  validateForeignKeyStatements,
  type DdlStatement,
} from './ddl.js';
import { ident, qualified } from '../schema/identifiers.js';
import { MARKER_TABLE, markerTableStatements, writeMarker, type FarmMarker } from './marker.js';
import { runParallel, type TableGate } from './parallel.js';
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
 * The builds a table needs from its own rows alone: the keys of tables foreign keys point at (the
 * foreign keys need them), the other keys' unique indexes, every index, the sequences.
 */
function tableBuilds(schema: string): { keys: DdlStatement[]; builds: DdlStatement[] } {
  const referenced = referencedTables();
  const unreferenced = (table: TableName): boolean => !referenced.has(table);
  return {
    keys: keyStatements(schema).filter((k) => referenced.has(k.table)),
    builds: [...keyIndexStatements(schema, unreferenced), ...indexStatements(schema), ...sequenceStatements(schema)],
  };
}

/**
 * Builds each table's own keys and indexes (tableBuilds) as soon as `gate` says its rows are in,
 * while other tables still load; `finalizeStaging(…, { built: true })` does the rest afterwards.
 */
export async function buildWhileLoading(
  connectionString: string,
  schema: string,
  rowCounts: ReadonlyMap<TableName, number>,
  connections: number,
  gate: TableGate,
): Promise<void> {
  const rows = (table: TableName): number => rowCounts.get(table) ?? 0;
  const { keys, builds } = tableBuilds(schema);
  // A table's key first among its statements (sorted by rows, ties keep this order).
  await runParallel(connectionString, batchSmallTables([...keys, ...builds], rows), connections, (statement) => rows(statement.table), gate);
}

/**
 * Keys of the tables foreign keys point at first, then every foreign key added unchecked (catalog
 * only). Then one pool builds the other keys' unique indexes and every index, checks the foreign
 * keys (VALIDATE) and runs ANALYZE, heaviest table first, never two statements that lock each
 * other out on one table (src/db/parallel.ts); last, the unique indexes become the keys. The
 * catalog is the one ADD PRIMARY KEY and a checked ADD FOREIGN KEY make (the schema tests), but
 * no key build or check locks a table whole while the rest of its indexes wait. With `built`,
 * buildWhileLoading has built the keys and indexes already.
 */
export async function finalizeStaging(
  connectionString: string,
  schema: string,
  rowCounts: ReadonlyMap<TableName, number>,
  connections: number,
  options: { built?: boolean } = {},
): Promise<FinalizeTimings> {
  const rows = (table: TableName): number => rowCounts.get(table) ?? 0;
  const referenced = referencedTables();
  const unreferenced = (table: TableName): boolean => !referenced.has(table);
  const { keys, builds } = options.built ? { keys: [], builds: [] } : tableBuilds(schema);

  let mark = performance.now();
  if (keys.length > 0) await runParallel(connectionString, batchSmallTables(keys, rows), connections, (statement) => rows(statement.table));
  await runParallel(connectionString, [oneStatement(foreignKeyStatements(schema, { notValid: true }))], 1);
  const keysSeconds = (performance.now() - mark) / 1000;

  mark = performance.now();
  const loaded = tableNames.filter((table) => rows(table) > 0);
  const small = loaded.filter((table) => rows(table) < SMALL_TABLE_ROWS);
  // A table's check comes before its builds (a connection the check keeps off the table builds
  // another's indexes meanwhile), its ANALYZE after them; the small tables share one ANALYZE at the end.
  const checks = validateForeignKeyStatements(schema);
  const analyze: DdlStatement[] = loaded
    .filter((table) => rows(table) >= SMALL_TABLE_ROWS)
    .map((table) => ({ table, sql: `ANALYZE ${qualified(schema, table)}` }));
  const weight = (statement: DdlStatement): number =>
    rows(statement.table) + (checks.includes(statement) ? 0.5 : analyze.includes(statement) ? -0.5 : 0);
  await runParallel(connectionString, [...batchSmallTables([...builds, ...checks], rows), ...analyze], connections, weight);
  const first = small[0];
  const tail = [oneStatement(keyAttachStatements(schema, unreferenced))];
  if (first) tail.push({ table: first, sql: `ANALYZE ${small.map((table) => qualified(schema, table)).join(', ')}` });
  await runParallel(connectionString, [oneStatement(tail)], 1);
  const indexes = (performance.now() - mark) / 1000;
  return { keys: keysSeconds, indexes, analyze: 0 };
}

/** Statements sent as one round trip (for catalog-only work, which takes no time of its own). */
function oneStatement(statements: readonly DdlStatement[]): DdlStatement {
  const [first] = statements;
  if (!first) throw new RangeError('no statements to join');
  return { table: first.table, sql: statements.map((statement) => statement.sql).join(';\n') };
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
