/**
 * Existing-schema mode: a Django-migrated AquaMind database keeps its own tables, constraints,
 * indexes, sequences and Django bookkeeping; aquaseed only replaces the rows of the tables it
 * writes, in ONE transaction: a failure anywhere leaves the database as it was. The farm's master
 * data (users and content types among it) is staged first, in the generator's numbering, so the
 * shared rows can be merged; a generated farm's batches are then COPYed straight into the
 * database's tables on the transaction's connection (src/seed/seed-database.ts), a restored one
 * comes from the staging schema.
 */
import type pg from 'pg';
import { AquaseedError } from '../core/errors.js';
import { tables, writtenTableNames, type TableName } from '../schema/tables/index.js';
import type { TableSpec } from '../schema/table.js';
import { ident, qualified } from '../schema/identifiers.js';
import { readColumns, readSerialColumns, readTableObjects, type CatalogObject, type TableObjects } from './introspect.js';
import { columnMismatches, formatMismatch } from './existing-columns.js';
import { djangoApp } from '../schema/django-apps.js';
import { mergeSharedRows, remapExpression, SHARED_TABLES, sharedReferenceColumns, type Remap } from './existing-shared-rows.js';
import { insertMarker, markerTableStatements, type FarmMarker } from './staging.js';
import { runParallel } from './parallel.js';
import type { DdlStatement } from './ddl.js';

/** The tables whose rows a seed replaces: every table aquaseed writes except the shared ones. */
export const REPLACED_TABLES: readonly TableName[] = writtenTableNames.filter((name) => !SHARED_TABLES.has(name));

/**
 * Which of the farm's tables the database holds. An AquaMind version that predates one of the
 * apps aquaseed writes (finance_core came on 2026-03-11) has none of that app's tables: the farm
 * is seeded without them.
 */
export interface ExistingLayout {
  /** The apps left out, each with its tables. */
  absentApps: readonly { app: string; tables: readonly TableName[] }[];
  /** Every table of the absent apps. */
  absent: ReadonlySet<TableName>;
  /** The replaced tables the database holds (REPLACED_TABLES without the absent ones). */
  replaced: readonly TableName[];
}

/** A database with every table: nothing left out. */
export const COMPLETE_LAYOUT: ExistingLayout = { absentApps: [], absent: new Set(), replaced: REPLACED_TABLES };

/**
 * Stops before anything is written when a table or column aquaseed writes is missing or cannot
 * hold its values, listing every one in a single error. A whole app that is missing is no
 * mismatch (an older AquaMind), as long as no table the database has points into it.
 */
export async function checkExistingSchema(client: pg.ClientBase, schema: string, database: string): Promise<ExistingLayout> {
  const catalog = await readColumns(client, schema);
  const layout = existingLayout(new Set(catalog.keys()));
  const mismatches = columnMismatches(
    writtenTableNames.filter((name) => !layout.absent.has(name)).map((name) => tables[name]),
    catalog,
  );
  if (mismatches.length === 0) return layout;
  const shown = mismatches.slice(0, 40).map((m) => `  ${formatMismatch(m)}`);
  if (mismatches.length > shown.length) shown.push(`  … and ${mismatches.length - shown.length} more`);
  throw new AquaseedError(
    'AQUASEED_SCHEMA_MISMATCH',
    `--existing-schema: database "${database}" (schema ${schema}) does not match the AquaMind schema aquaseed writes; ` +
      `${mismatches.length} column(s) missing or incompatible, nothing was changed:\n${shown.join('\n')}`,
    'migrate the database to the AquaMind version aquaseed targets (`python manage.py migrate`; see docs/aquamind.md for the commit), or seed an empty database without --existing-schema',
  );
}

/** The apps none of whose tables `present` holds and into which no present table points. */
export function existingLayout(present: ReadonlySet<string>): ExistingLayout {
  const byApp = new Map<string, TableName[]>();
  for (const name of writtenTableNames) {
    const app = djangoApp(name) ?? name;
    let list = byApp.get(app);
    if (!list) byApp.set(app, (list = []));
    list.push(name);
  }
  const missingApps = new Set([...byApp].filter(([, names]) => names.every((name) => !present.has(name))).map(([app]) => app));
  // An app the rest of the farm points into cannot be left out: those columns would dangle.
  for (const name of writtenTableNames) {
    const spec: TableSpec = tables[name];
    if (missingApps.has(djangoApp(name) ?? name) || !present.has(name)) continue;
    for (const target of [...Object.values(spec.references ?? {}), ...Object.values(spec.logicalReferences ?? {})]) {
      missingApps.delete(djangoApp(target.slice(0, target.indexOf('.'))) ?? '');
    }
  }
  const absentApps = [...byApp].filter(([app]) => missingApps.has(app)).map(([app, names]) => ({ app, tables: names }));
  const absent = new Set(absentApps.flatMap((a) => a.tables));
  return { absentApps, absent, replaced: REPLACED_TABLES.filter((name) => !absent.has(name)) };
}

/** One notice line naming what a seed leaves out, or null when the database holds every table. */
export function describeAbsentApps(layout: ExistingLayout, database: string): string | null {
  if (layout.absentApps.length === 0) return null;
  const apps = layout.absentApps.map((a) => `${a.app} (${a.tables.join(', ')})`).join('; ');
  const which = layout.absentApps.length === 1 ? 'app' : 'apps';
  return (
    `--existing-schema: database "${database}" has none of the tables of the ${which} ${apps}: ` +
    `an AquaMind version from before it; the farm is seeded without these ${layout.absent.size} tables`
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
export const REBUILD_ROWS = 20_000;

/** The open replacement transaction: what was dropped, and the farm's shared ids in the database's numbering. */
export interface Replacement {
  objects: TableObjects;
  remap: Remap;
  layout: ExistingLayout;
}

/**
 * Opens the replacement transaction on `client`: lock the replaced tables, drop the foreign keys
 * of or into them (all of them, or all but the farm's own: see `canLoadWithTriggersOff`) and the
 * keys and indexes of the tables `rebuild` names, recording their definitions; truncate; merge the
 * shared tables from `staging`. The caller adds the rows on the same connection (COPY, and
 * `copyStaged`), then calls `commitReplacement`.
 */
export async function beginReplacement(
  client: pg.ClientBase,
  staging: string,
  target: string,
  layout: ExistingLayout,
  rebuild: (table: string) => boolean,
): Promise<Replacement> {
  const replaced = layout.replaced;
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL maintenance_work_mem = '512MB'`);
    await client.query(`LOCK TABLE ${replaced.map((name) => qualified(target, name)).join(', ')} IN ACCESS EXCLUSIVE MODE`);
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
    return { objects, remap, layout };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Copies the staged rows of every replaced table in (inside the replacement transaction). */
export async function copyStaged(client: pg.ClientBase, staging: string, target: string, replacement: Replacement): Promise<void> {
  try {
    const { replaced } = replacement.layout;
    const staged = await tablesWithRows(client, staging, replaced);
    for (const table of replaced.filter((name) => staged.has(name))) {
      await client.query(copyStatement(staging, target, table, replacement.remap));
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
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
  try {
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
    const seconds = (performance.now() - mark) / 1000;
    await client.query(markerTableStatements(target).join(';\n'));
    await insertMarker(client, target, marker);
    if (dropSchema) await client.query(`DROP SCHEMA ${ident(dropSchema)} CASCADE`);
    await client.query('COMMIT');
    return seconds;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
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

/**
 * Whether the farm's own foreign keys can stay in place, unchecked, while the rows go in: as a
 * superuser (the embedded and container servers, most development databases) with
 * `session_replication_role = replica`, which turns off their triggers, and only when no table
 * the seed writes has a trigger or rule of the database's own, which would be turned off too. The farm's
 * rows satisfy its own foreign keys by construction (a created-schema seed adds the very same
 * keys after its load and so checks them every time; the shared rows are merged first), so
 * re-adding them would re-check what holds: 194 keys, 9-15 s on 40-batch. Foreign keys the farm
 * does not declare, other apps' among them, are dropped and re-added, so they are checked.
 */
async function canLoadWithTriggersOff(client: pg.ClientBase, target: string): Promise<boolean> {
  const { rows } = await client.query<{ superuser: boolean; triggers: boolean }>(
    `SELECT current_setting('is_superuser') = 'on' AS superuser,
            EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND NOT t.tgisinternal)
         OR EXISTS (SELECT 1 FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND r.rulename <> '_RETURN') AS triggers`,
    [target, writtenTableNames],
  );
  return rows[0]?.superuser === true && rows[0].triggers === false;
}

/**
 * A foreign key the farm itself declares (src/schema/tables: same table, column and referenced
 * column), between tables of `target` the seed writes, that no table it leaves untruncated
 * points through into a replaced one.
 */
function isFarmForeignKey(fk: CatalogObject, target: string, replaced: readonly TableName[]): boolean {
  const reference = fk.reference;
  if (!reference || reference.schema !== target || reference.columns.length !== 1) return false;
  const table = writtenTableNames.find((name) => name === fk.relation);
  const referenced = writtenTableNames.find((name) => name === reference.table);
  if (!table || !referenced) return false;
  if (!replaced.includes(table) && replaced.includes(referenced)) return false;
  const declared = (tables[table] as TableSpec).references?.[reference.columns[0] ?? ''];
  return declared === `${referenced}.${reference.referencedColumns.join(',')}`;
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

export function dropStatements(target: string, objects: TableObjects): string[] {
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

/** What a command does to the farm's rows, in the words of its foreign-key refusal. */
export interface RowChange {
  /** What it did: `replacing`. */
  doing: string;
  /** What the user can do instead. */
  fix: string;
}

const SEEDING: RowChange = { doing: 'replacing', fix: 'delete them (or their table\'s data) before seeding, or seed another database' };

/** A foreign key that no longer holds is named with its table, so the user knows whose rows point at the farm's. */
export async function recreateForeignKeys(client: pg.ClientBase, foreignKeys: readonly CatalogObject[], change: RowChange = SEEDING): Promise<void> {
  for (const fk of foreignKeys) {
    try {
      await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${ident(fk.name)} ${fk.definition}`);
    } catch (error) {
      if ((error as { code?: string }).code !== '23503') throw error;
      throw new AquaseedError(
        'AQUASEED_LOAD_FAILED',
        `foreign key ${fk.name} of ${fk.table} (${fk.definition}) no longer holds after ${change.doing} the farm's rows: ` +
          `${(error as Error).message}; nothing was changed`,
        `rows in ${fk.table} point at the farm's rows; ${change.fix}`,
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
