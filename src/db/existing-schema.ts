/**
 * Existing-schema mode: a Django-migrated AquaMind database keeps its own tables, constraints,
 * indexes, sequences and Django bookkeeping; aquaseed only replaces the rows of the tables it
 * writes. The rows are loaded into a staging schema first (as for a fresh seed, COPY into bare
 * tables), then moved in ONE transaction: a failure anywhere leaves the database as it was.
 */
import type pg from 'pg';
import { AquaseedError } from '../errors.js';
import { tables, tableNames, type TableName } from './tables/index.js';
import { ident, qualified } from './identifiers.js';
import { readColumns, readSerialColumns, readTableObjects, type CatalogObject, type TableObjects } from './introspect.js';
import { columnMismatches, formatMismatch } from './existing-columns.js';
import { mergeSharedRows, remapExpression, SHARED_TABLES, sharedReferenceColumns, type Remap } from './existing-shared-rows.js';
import { insertMarker, markerTableStatements, type FarmMarker } from './staging.js';
import { runParallel } from './parallel.js';
import type { DdlStatement } from './ddl.js';

/** The tables whose rows a seed replaces: every table aquaseed writes except the shared ones. */
export const REPLACED_TABLES: readonly TableName[] = tableNames.filter((name) => !SHARED_TABLES.has(name));

/**
 * Stops before anything is written when a table or column aquaseed writes is missing or cannot
 * hold its values, listing every one in a single error.
 */
export async function checkExistingSchema(client: pg.ClientBase, schema: string, database: string): Promise<void> {
  const catalog = await readColumns(client, schema);
  const mismatches = columnMismatches(tableNames.map((name) => tables[name]), catalog);
  if (mismatches.length === 0) return;
  const shown = mismatches.slice(0, 40).map((m) => `  ${formatMismatch(m)}`);
  if (mismatches.length > shown.length) shown.push(`  … and ${mismatches.length - shown.length} more`);
  throw new AquaseedError(
    'AQUASEED_SCHEMA_MISMATCH',
    `--existing-schema: database "${database}" (schema ${schema}) does not match the AquaMind schema aquaseed writes; ` +
      `${mismatches.length} column(s) missing or incompatible, nothing was changed:\n${shown.join('\n')}`,
    'migrate the database to the AquaMind version aquaseed targets (`python manage.py migrate`; see docs/aquamind.md for the commit), or seed an empty database without --existing-schema',
  );
}

export interface ReplaceTimings {
  /** Dropping keys and indexes, truncating, copying the rows in. */
  copy: number;
  /** Recreating keys, foreign keys and indexes. */
  indexes: number;
  analyze: number;
}

/**
 * At and above this many rows a table's keys and indexes are dropped and rebuilt once; below it
 * the rows go in through them: rebuilding hundreds of small indexes one after another on the one
 * connection costs more than maintaining them (single-batch: rebuild phase 2.8 s rebuilding every
 * index, 2.0 s from 20,000 rows; 1,000-5,000 rows measured no clear difference on a noisy machine).
 */
const REBUILD_ROWS = 20_000;

/**
 * Moves the staged farm into `target` in one transaction: drop every foreign key of or into the
 * replaced tables and the keys and indexes of the large ones, recording their definitions;
 * truncate; merge the shared tables; copy the staged rows in; recreate every recorded object from
 * its definition, under its own name; move identity/serial sequences past the loaded ids; write
 * the marker; drop the staging schema; commit. Then ANALYZE, in parallel (statistics only).
 */
export async function replaceFromStaging(
  client: pg.ClientBase,
  url: string,
  staging: string,
  target: string,
  marker: FarmMarker,
  connections: number,
): Promise<ReplaceTimings> {
  const rows = (table: string): number => marker.rowCounts[table] ?? 0;
  let mark = performance.now();
  let copy = 0;
  let indexes = 0;
  await client.query('BEGIN');
  try {
    // An empty search_path makes pg_get_*def name every schema, so a definition recreates the very
    // object it was read from whatever path the session had.
    await client.query(`SET LOCAL search_path TO ''; SET LOCAL maintenance_work_mem = '512MB'`);
    await client.query(`LOCK TABLE ${REPLACED_TABLES.map((name) => qualified(target, name)).join(', ')} IN ACCESS EXCLUSIVE MODE`);
    const all = await readTableObjects(client, target, REPLACED_TABLES);
    // Foreign keys go in every case: other tables' ones would forbid the TRUNCATE, and one
    // validation query per key is far cheaper than a trigger check per copied row.
    const large = (o: CatalogObject): boolean => rows(o.relation) >= REBUILD_ROWS;
    const objects: TableObjects = { foreignKeys: all.foreignKeys, keys: all.keys.filter(large), indexes: all.indexes.filter(large) };
    const drops = dropStatements(target, objects);
    if (drops.length > 0) await client.query(drops.join(';\n'));
    const truncate = await tablesToTruncate(client, target, (table) => rows(table) >= REBUILD_ROWS);
    if (truncate.length > 0) await client.query(`TRUNCATE ${truncate.map((name) => qualified(target, name)).join(', ')}`);
    const remap = await mergeSharedRows(client, staging, target);
    for (const table of REPLACED_TABLES) await client.query(copyStatement(staging, target, table, remap));
    copy = (performance.now() - mark) / 1000;

    mark = performance.now();
    const creates = [
      ...objects.keys.map((o) => `ALTER TABLE ${o.table} ADD CONSTRAINT ${ident(o.name)} ${o.definition}`),
      ...objects.indexes.map((o) => o.definition),
    ];
    if (creates.length > 0) await client.query(creates.join(';\n'));
    await recreateForeignKeys(client, objects.foreignKeys);
    const serials = await readSerialColumns(client, target, REPLACED_TABLES);
    if (serials.length > 0) {
      await client.query(
        serials
          .map(
            (s) =>
              `SELECT setval(${literal(s.sequence)}, COALESCE(max(${ident(s.column)}), 1), max(${ident(s.column)}) IS NOT NULL) ` +
              `FROM ${qualified(target, s.table)}`,
          )
          .join(';\n'),
      );
    }
    indexes = (performance.now() - mark) / 1000;

    await client.query(markerTableStatements(target).join(';\n'));
    await insertMarker(client, target, marker);
    await client.query(`DROP SCHEMA ${ident(staging)} CASCADE`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
  mark = performance.now();
  // Large tables one per statement, largest first; the small ones in one statement per connection
  // (a hundred round trips on one connection would be the longest of the queues).
  const small = tableNames.filter((table) => rows(table) < REBUILD_ROWS);
  const analyze: DdlStatement[] = tableNames
    .filter((table) => rows(table) >= REBUILD_ROWS)
    .map((table) => ({ table, sql: `ANALYZE ${qualified(target, table)}` }));
  for (let i = 0; i < connections; i++) {
    const group = small.filter((_, index) => index % connections === i);
    const first = group[0];
    if (first) analyze.push({ table: first, sql: `ANALYZE ${group.map((table) => qualified(target, table)).join(', ')}` });
  }
  await runParallel(url, analyze, connections, (statement) => rows(statement.table));
  return { copy, indexes, analyze: (performance.now() - mark) / 1000 };
}

/**
 * The replaced tables holding rows, plus every large one: a truncate gives a table new files,
 * which costs a file per index for each small table (half a second for a freshly migrated
 * database's empty tables on single-batch) but lets PostgreSQL skip WAL for the large tables'
 * copy at wal_level=minimal (their files are then new in this transaction).
 */
async function tablesToTruncate(client: pg.ClientBase, target: string, large: (table: string) => boolean): Promise<string[]> {
  const probes = REPLACED_TABLES.filter((table) => !large(table)).map(
    (table) => `SELECT ${literal(table)} AS name WHERE EXISTS (SELECT 1 FROM ${qualified(target, table)})`,
  );
  const { rows } = await client.query<{ name: string }>(probes.join(' UNION ALL '));
  const occupied = new Set(rows.map((row) => row.name));
  return REPLACED_TABLES.filter((table) => large(table) || occupied.has(table));
}

function dropStatements(target: string, objects: TableObjects): string[] {
  const byTable = (list: readonly CatalogObject[]): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    for (const o of list) {
      let names = out.get(o.table);
      if (!names) out.set(o.table, (names = []));
      names.push(`DROP CONSTRAINT ${ident(o.name)}`);
    }
    return out;
  };
  // Foreign keys first: a key cannot be dropped while a foreign key depends on its index.
  const statements = [...byTable(objects.foreignKeys), ...byTable(objects.keys)].map(([table, drops]) => `ALTER TABLE ${table} ${drops.join(', ')}`);
  if (objects.indexes.length > 0) statements.push(`DROP INDEX ${objects.indexes.map((o) => qualified(target, o.name)).join(', ')}`);
  return statements;
}

/** A foreign key that no longer holds is named with its table, so the user knows whose rows point at the farm's. */
async function recreateForeignKeys(client: pg.ClientBase, foreignKeys: readonly CatalogObject[]): Promise<void> {
  for (const fk of foreignKeys) {
    try {
      await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${ident(fk.name)} ${fk.definition}`);
    } catch (error) {
      if ((error as { code?: string }).code !== '23503') throw error;
      throw new AquaseedError(
        'AQUASEED_LOAD_FAILED',
        `foreign key ${fk.name} of ${fk.table} (${fk.definition}) no longer holds after replacing the farm's rows: ` +
          `${(error as Error).message}; nothing was changed`,
        `rows in ${fk.table} point at rows aquaseed replaces; delete them (or their table's data) before seeding, or seed another database`,
        { cause: error },
      );
    }
  }
}

/** INSERT … SELECT of one table, ids of shared rows mapped to the database's numbering. */
function copyStatement(staging: string, target: string, table: TableName, remap: Remap): string {
  const references = sharedReferenceColumns(table);
  const columns = Object.keys(tables[table].columns);
  const select = columns.map((column) => {
    const shared = references.get(column);
    return shared ? remapExpression(column, remap[shared]) : ident(column);
  });
  // OVERRIDING SYSTEM VALUE: a GENERATED ALWAYS identity column still takes the farm's ids.
  return (
    `INSERT INTO ${qualified(target, table)} (${columns.map(ident).join(', ')}) OVERRIDING SYSTEM VALUE ` +
    `SELECT ${select.join(', ')} FROM ${qualified(staging, table)}`
  );
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
