/**
 * Existing-schema mode's one transaction (src/db/existing-schema.ts checks the database first):
 * the rows of the tables aquaseed writes are replaced, and a failure anywhere leaves the database
 * as it was. The farm's master data (users and content types among it) is staged first, in the
 * generator's numbering, so the shared rows can be merged; a generated farm's batches are then
 * COPYed straight into the database's tables on the transaction's connection
 * (src/seed/seed-database.ts), a restored one comes from the staging schema.
 */
import type pg from 'pg';
import { tables, writtenTableNames, type TableName } from '../schema/tables/index.js';
import { ident, literal, qualified } from '../schema/identifiers.js';
import { readSerialColumns, readTableObjects, type CatalogObject, type TableObjects } from './introspect.js';
import { mergeSharedRows, remapExpression, SHARED_TABLES, sharedReferenceColumns, type Remap } from './existing-shared-rows.js';
import { canLoadWithTriggersOff, dropStatements, isFarmForeignKey, recreateForeignKeys } from './existing-constraints.js';
import type { ExistingLayout } from './existing-schema.js';
import { markerTableStatements, writeMarker, type FarmMarker } from './marker.js';
import { runParallel } from './parallel.js';
import { beginTransaction, type OpenTransaction } from './client.js';
import type { DdlStatement } from './ddl.js';

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
export const REBUILD_ROWS = 20_000;

/** The open replacement transaction: what was dropped, and the farm's shared ids in the database's numbering. */
export interface Replacement {
  objects: TableObjects;
  remap: Remap;
  layout: ExistingLayout;
  /** The transaction itself: a step that fails rolls it back (`transaction.run`), as can the caller. */
  transaction: OpenTransaction;
}

/**
 * Opens the replacement transaction on `client`: lock the replaced tables, drop the foreign keys
 * of or into them (all of them, or all but the farm's own: see `canLoadWithTriggersOff`) and the
 * keys and indexes of the tables `rebuild` names, recording their definitions; truncate; merge the
 * shared tables from `staging`. The caller adds the rows on the same connection (COPY, and
 * `copyStaged`), then calls `commitReplacement`; a failure of its own rolls back with
 * `replacement.transaction.rollback()`.
 */
export async function beginReplacement(
  client: pg.ClientBase,
  staging: string,
  target: string,
  layout: ExistingLayout,
  rebuild: (table: string) => boolean,
): Promise<Replacement> {
  const replaced = layout.replaced;
  const transaction = await beginTransaction(client);
  return transaction.run(async () => {
    await client.query(`SET LOCAL maintenance_work_mem = '512MB'`);
    // A database with none of the replaced tables (every AquaMind app absent, only the shared
    // auth and content-type tables) has nothing to lock: LOCK TABLE takes no empty list.
    if (replaced.length > 0) await client.query(`LOCK TABLE ${replaced.map((name) => qualified(target, name)).join(', ')} IN ACCESS EXCLUSIVE MODE`);
    // An empty search_path makes pg_get_*def name every schema, so a definition recreates the very
    // object it was read from whatever path the session has. The session's own path comes back
    // for the load: the database's triggers may name tables without their schema.
    const path = await client.query<{ path: string }>(`SELECT current_setting('search_path') AS path`);
    await client.query(`SET LOCAL search_path TO ''`);
    const all = await readTableObjects(client, target, replaced);
    await client.query(`SELECT set_config('search_path', $1, true)`, [path.rows[0]?.path ?? '']);
    const kept = (await canLoadWithTriggersOff(client, target)) ? all.foreignKeys.filter((fk) => isFarmForeignKey(fk, target, replaced)) : [];
    if (kept.length > 0) await client.query('SET LOCAL session_replication_role = replica');
    // A kept foreign key needs the key it references; a key no kept foreign key needs, and every
    // other foreign key (other apps' ones would forbid the TRUNCATE), goes while the rows go in.
    const referenced = new Set(kept.map((fk) => fk.reference?.table));
    const rebuilt = (o: CatalogObject): boolean => rebuild(o.relation);
    const objects: TableObjects = {
      foreignKeys: all.foreignKeys.filter((fk) => !kept.includes(fk)),
      keys: all.keys.filter((o) => rebuilt(o) && !referenced.has(o.relation)),
      indexes: all.indexes.filter(rebuilt),
    };
    const drops = dropStatements(target, objects);
    if (drops.length > 0) await client.query(drops.join(';\n'));
    const truncate = withReferencingTables(await tablesToTruncate(client, target, replaced, rebuild), kept, replaced);
    if (truncate.length > 0) await client.query(`TRUNCATE ${truncate.map((name) => qualified(target, name)).join(', ')}`);
    const remap = await mergeSharedRows(client, staging, target);
    return { objects, remap, layout, transaction };
  });
}

/** Copies the staged rows of every replaced table in (inside the replacement transaction). */
export async function copyStaged(client: pg.ClientBase, staging: string, target: string, replacement: Replacement): Promise<void> {
  await replacement.transaction.run(async () => {
    const { replaced } = replacement.layout;
    const staged = await tablesWithRows(client, staging, replaced);
    for (const table of replaced.filter((name) => staged.has(name))) {
      await client.query(copyStatement(staging, target, table, replacement.remap));
    }
  });
}

/** Which of `names` hold rows in `schema`, in one round trip. */
async function tablesWithRows(client: pg.ClientBase, schema: string, names: readonly string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const probes = names.map((table) => `SELECT ${literal(table)} AS name WHERE EXISTS (SELECT 1 FROM ${qualified(schema, table)})`);
  const { rows } = await client.query<{ name: string }>(probes.join(' UNION ALL '));
  return new Set(rows.map((row) => row.name));
}

/**
 * The tables a generated farm's batches COPY straight into the database's own tables, on the
 * transaction's one connection; the other tables' rows stream into the staging schema on other
 * connections meanwhile and are copied in after (copyStaged). One connection parsing every row
 * was the bottleneck (40-batch: generate+COPY 44-50 s against 33-42 s for the parallel COPY of a
 * fresh seed in the same runs); these three hold 77 % of the rows, which keeps that connection
 * busy for about as long as generation takes, and the rest cost seconds of INSERT … SELECT.
 */
export const DIRECT_TABLES: ReadonlySet<TableName> = new Set<TableName>([
  'environmental_environmentalreading',
  'batch_individualgrowthobservation',
  'batch_historicalindividualgrowthobservation',
]);

/**
 * Ends the replacement transaction: recreate every recorded object from its definition, under its
 * own name; move identity/serial sequences past the loaded ids; write the marker; commit (dropping
 * `dropSchema`, the staging schema, with it when given). Returns the seconds the objects took.
 */
export async function commitReplacement(
  client: pg.ClientBase,
  target: string,
  replacement: Replacement,
  marker: FarmMarker,
  dropSchema?: string,
): Promise<number> {
  const { objects } = replacement;
  const mark = performance.now();
  const seconds = await replacement.transaction.run(async () => {
    const creates = [
      ...objects.keys.map((o) => `ALTER TABLE ${o.table} ADD CONSTRAINT ${ident(o.name)} ${o.definition}`),
      ...objects.indexes.map((o) => o.definition),
    ];
    if (creates.length > 0) await client.query(creates.join(';\n'));
    await recreateForeignKeys(client, objects.foreignKeys);
    const serials = await readSerialColumns(client, target, replacement.layout.replaced);
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
    const objectSeconds = (performance.now() - mark) / 1000;
    await client.query(markerTableStatements(target).join(';\n'));
    await writeMarker(client, target, marker);
    if (dropSchema) await client.query(`DROP SCHEMA ${ident(dropSchema)} CASCADE`);
    return objectSeconds;
  });
  await replacement.transaction.commit();
  return seconds;
}

/**
 * Moves a staged farm (all rows in `staging`, as a logical-cache restore loads them) into
 * `target` in one transaction, then ANALYZEs.
 */
export async function replaceFromStaging(
  client: pg.ClientBase,
  url: string,
  staging: string,
  target: string,
  marker: FarmMarker,
  layout: ExistingLayout,
  connections: number,
): Promise<ReplaceTimings> {
  const rows = (table: string): number => marker.rowCounts[table] ?? 0;
  let mark = performance.now();
  const replacement = await beginReplacement(client, staging, target, layout, (table) => rows(table) >= REBUILD_ROWS);
  await copyStaged(client, staging, target, replacement);
  const copy = (performance.now() - mark) / 1000;
  const indexes = await commitReplacement(client, target, replacement, marker, staging);
  mark = performance.now();
  await analyzeReplaced(url, target, marker.rowCounts, layout, connections);
  return { copy, indexes, analyze: (performance.now() - mark) / 1000 };
}

/**
 * ANALYZE after commit (statistics only), in parallel: large tables one per statement, largest
 * first; the small ones in one statement per connection (a hundred round trips on one connection
 * would be the longest of the queues).
 */
export async function analyzeReplaced(
  url: string,
  target: string,
  rowCounts: Readonly<Record<string, number>>,
  layout: ExistingLayout,
  connections: number,
): Promise<void> {
  const rows = (table: string): number => rowCounts[table] ?? 0;
  const present = writtenTableNames.filter((table) => !layout.absent.has(table));
  const small = present.filter((table) => rows(table) < REBUILD_ROWS);
  const analyze: DdlStatement[] = present
    .filter((table) => rows(table) >= REBUILD_ROWS)
    .map((table) => ({ table, sql: `ANALYZE ${qualified(target, table)}` }));
  for (let i = 0; i < connections; i++) {
    const group = small.filter((_, index) => index % connections === i);
    const first = group[0];
    if (first) analyze.push({ table: first, sql: `ANALYZE ${group.map((table) => qualified(target, table)).join(', ')}` });
  }
  await runParallel(url, analyze, connections, (statement) => rows(statement.table));
}

/**
 * Per table, a SELECT of its farm rows in the generator's own numbering: the shared tables from
 * `staging` (where the farm's users and content types were loaded before the merge), and the
 * tables the database lacks (they were staged and never copied in), the others from `target`
 * with the database's ids of those rows mapped back. A logical cache entry exported through it
 * holds what a created-schema seed of the same schedule exports.
 */
export function farmNumberedSelect(staging: string, target: string, replacement: Replacement): (table: TableName) => string {
  const { remap, layout } = replacement;
  const back: Remap = {
    auth_user: new Map([...remap.auth_user].map(([farm, database]) => [database, farm])),
    django_content_type: new Map([...remap.django_content_type].map(([farm, database]) => [database, farm])),
  };
  return (table) => {
    const columns = Object.keys(tables[table].columns);
    if (SHARED_TABLES.has(table) || layout.absent.has(table)) return `SELECT ${columns.map(ident).join(', ')} FROM ${qualified(staging, table)}`;
    const references = sharedReferenceColumns(table);
    const select = columns.map((column) => {
      const shared = references.get(column);
      return shared ? `${remapExpression(column, back[shared])} AS ${ident(column)}` : ident(column);
    });
    return `SELECT ${select.join(', ')} FROM ${qualified(target, table)}`;
  };
}

/** `truncate` plus the replaced tables whose kept foreign keys point into it (TRUNCATE wants them together). */
function withReferencingTables(truncate: string[], kept: readonly CatalogObject[], replaced: readonly TableName[]): string[] {
  const out = new Set(truncate);
  for (let grew = true; grew; ) {
    grew = false;
    for (const fk of kept) {
      if (fk.reference && out.has(fk.reference.table) && !out.has(fk.relation)) {
        out.add(fk.relation);
        grew = true;
      }
    }
  }
  return replaced.filter((table) => out.has(table));
}

/**
 * The replaced tables holding rows, plus every rebuilt one: a truncate gives a table new files,
 * which costs a file per index for each small table (half a second for a freshly migrated
 * database's empty tables on single-batch) but lets PostgreSQL skip WAL for the large tables'
 * copy at wal_level=minimal (their files are then new in this transaction).
 */
async function tablesToTruncate(
  client: pg.ClientBase,
  target: string,
  replaced: readonly TableName[],
  rebuild: (table: string) => boolean,
): Promise<string[]> {
  const occupied = await tablesWithRows(client, target, replaced.filter((table) => !rebuild(table)));
  return replaced.filter((table) => rebuild(table) || occupied.has(table));
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
