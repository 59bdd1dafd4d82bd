/**
 * The selective purge behind `aquaseed wipe`: empty the farm's operational data (batches and all
 * that hangs off them) and keep the infrastructure and master data, so an app can be exercised on
 * a farm with its stations, rings and sensors but no fish.
 */
import type pg from 'pg';
import { AquaseedError } from '../core/errors.js';
import { DJANGO_MIGRATIONS, inspectAquaMindDatabase, inspectDatabase, type DatabaseState } from './guard.js';
import { ident } from '../schema/identifiers.js';
import { readTableObjects, type CatalogObject } from './introspect.js';
import { REPLACED_TABLES } from './existing-schema.js';
import { dropStatements, recreateForeignKeys } from './existing-constraints.js';
import { MARKER_TABLE, markWiped, unwipedKey } from './marker.js';
import { withClient, withTransaction } from './client.js';
import { databaseOf } from './clone.js';
import { tableNames, tables, type TableName } from '../schema/tables/index.js';
import type { TableSpec } from '../schema/table.js';

/**
 * Operational tables no batch references but that record what happened rather than what exists:
 * feed bought and the FIFO stock it fills (the feeding events drew on it, so keeping it would
 * leave stock levels that no event explains).
 */
export const EXPLICIT_OPERATIONAL: readonly TableName[] = ['inventory_feedpurchase', 'inventory_feedcontainerstock'];

function targetsOf(spec: TableSpec): string[] {
  const links = { ...spec.references, ...spec.logicalReferences };
  return Object.values(links).map((target) => target.split('.')[0] as string);
}

/**
 * Every table the wipe empties: `batch_batch`, everything that references it directly or
 * transitively (assignments, events, scenarios, harvests, finance facts, planned activities…),
 * the explicit list, and the history tables of all of those. Derived from the table definitions,
 * so a new table hanging off a batch is wiped without anyone remembering to list it. Closing the
 * set over referrers also means no kept table has a foreign key into it, which TRUNCATE requires.
 */
export function operationalTables(): TableName[] {
  const wiped = new Set<string>(['batch_batch', ...EXPLICIT_OPERATIONAL]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const name of tableNames) {
      if (wiped.has(name)) continue;
      if (targetsOf(tables[name] as TableSpec).some((target) => wiped.has(target))) {
        wiped.add(name);
        grew = true;
      }
    }
  }
  for (const name of [...wiped]) {
    const history = (tables[name as TableName] as TableSpec).history;
    if (history) wiped.add(history);
  }
  return tableNames.filter((name) => wiped.has(name));
}

export interface WipeResult {
  database: string;
  /** Rows removed per wiped table (every wiped table, zeros included), by table name. */
  removed: Record<string, number>;
  totalRemoved: number;
  /** Rows left per kept table. */
  kept: Record<string, number>;
  /** The cache key of the farm the database held before (null when it was already wiped). */
  previousKey: string | null;
}

/**
 * Empties the operational tables of the aquaseed farm at `url` in one transaction and marks the
 * farm as wiped. A database aquaseed did not seed is refused untouched.
 *
 * A farm seeded into a Django-migrated AquaMind (existing-schema mode) loses only the rows the seed
 * put in: the operational tables it replaced and the database holds. The foreign keys other
 * tables of the database point into them with are dropped for the TRUNCATE and added back, which
 * checks them: rows of the developer's own that point at the farm's batches refuse the wipe.
 */
export async function wipeFarm(url: string): Promise<WipeResult> {
  const database = databaseOf(url);
  return withClient(url, (client) =>
    withTransaction(client, async () => {
      const state = await inspectWipeTarget(client, database);
      const present = await presentTables(client);
      const wiped = operationalTables().filter((name) => present.has(name) && (state.kind !== 'aquamind' || REPLACED_TABLES.includes(name)));
      const kept = tableNames.filter((name) => present.has(name) && !wiped.includes(name));
      // Locked up front so the counts below are exactly what TRUNCATE removes.
      await client.query(`LOCK TABLE ${wiped.map(ident).join(', ')} IN ACCESS EXCLUSIVE MODE`);
      const removed = await countRows(client, wiped);
      await truncate(client, wiped, state.kind === 'aquamind');
      const keptCounts = await countRows(client, kept);
      await markWiped(client, { ...keptCounts, ...Object.fromEntries(wiped.map((name) => [name, 0])) });
      return {
        database,
        removed,
        totalRemoved: Object.values(removed).reduce((a, b) => a + b, 0),
        kept: keptCounts,
        previousKey: unwipedKey(state.key),
      };
    }),
  );
}

/** The farm the database holds: one aquaseed created, or one it seeded into a Django-migrated AquaMind. */
async function inspectWipeTarget(client: pg.ClientBase, database: string): Promise<Exclude<DatabaseState, { kind: 'empty' }>> {
  const { rows } = await client.query<{ django: boolean; marked: boolean }>(
    `SELECT to_regclass(format('public.%I', $1::text)) IS NOT NULL AS django, to_regclass(format('public.%I', $2::text)) IS NOT NULL AS marked`,
    [DJANGO_MIGRATIONS, MARKER_TABLE],
  );
  const { django, marked } = rows[0] ?? { django: false, marked: false };
  if (django && !marked) {
    throw new AquaseedError(
      'AQUASEED_NOT_SEEDED',
      `database "${database}" is a Django-migrated database aquaseed has not seeded (it has no ${MARKER_TABLE} table): there is no farm to wipe; nothing was changed`,
      'seed it first (`aquaseed seed <preset> --existing-schema --database-url …`), or point the URL at the database that holds the farm',
    );
  }
  const state = django ? await inspectAquaMindDatabase(client, 'public', database) : await inspectDatabase(client, 'public', database);
  if (state.kind === 'empty') {
    throw new AquaseedError(
      'AQUASEED_NOT_SEEDED',
      `database "${database}" holds no aquaseed farm to wipe (it has no tables)`,
      'seed it first (`aquaseed seed <preset> --database-url …`), or point the URL at the database that holds the farm',
    );
  }
  return state;
}

/** The AquaMind tables the database holds (an AquaMind version may predate an app aquaseed writes). */
async function presentTables(client: pg.ClientBase): Promise<Set<string>> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND relname = ANY($1::text[])`,
    [tableNames],
  );
  return new Set(rows.map((row) => row.name));
}

/**
 * TRUNCATE refuses a table another table's foreign key points into, whatever the rows: in an
 * AquaMind database (`others`) those foreign keys are dropped around it and added back, which
 * checks that none of their rows pointed at what was wiped.
 */
async function truncate(client: pg.ClientBase, wiped: readonly string[], others: boolean): Promise<void> {
  const wipedSet = new Set(wiped);
  let outside: CatalogObject[] = [];
  if (others) {
    // An empty search_path makes every definition name its schema (as beginReplacement reads them).
    const path = await client.query<{ path: string }>(`SELECT current_setting('search_path') AS path`);
    await client.query(`SET LOCAL search_path TO ''`);
    const { foreignKeys } = await readTableObjects(client, 'public', wiped);
    await client.query(`SELECT set_config('search_path', $1, true)`, [path.rows[0]?.path ?? '']);
    outside = foreignKeys.filter((fk) => !wipedSet.has(fk.relation));
    const drops = dropStatements('public', { foreignKeys: outside, keys: [], indexes: [] });
    if (drops.length > 0) await client.query(drops.join(';\n'));
  }
  await client.query(`TRUNCATE ${wiped.map(ident).join(', ')}`);
  await recreateForeignKeys(client, outside, {
    doing: 'wiping',
    fix: 'delete them (or their table\'s data) before wiping, or leave the farm as it is',
  });
}

async function countRows(client: pg.ClientBase, names: readonly string[]): Promise<Record<string, number>> {
  const union = names.map((name) => `SELECT '${name}' AS name, count(*)::bigint AS n FROM ${ident(name)}`).join(' UNION ALL ');
  const { rows } = await client.query<{ name: string; n: string }>(union);
  return Object.fromEntries(rows.map((row) => [row.name, Number(row.n)]));
}
