/**
 * The selective purge behind `aquaseed wipe`: empty the farm's operational data (batches and all
 * that hangs off them) and keep the infrastructure and master data, so an app can be exercised on
 * a farm with its stations, rings and sensors but no fish.
 */
import pg from 'pg';
import { AquaseedError } from '../errors.js';
import { inspectDatabase, MARKER_TABLE } from './guard.js';
import { ident } from './identifiers.js';
import { tableNames, tables, type TableName } from './tables/index.js';
import type { TableSpec } from './table.js';

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

/** What the marker's key becomes: no seed's key matches it, so `up`/reuse never serves a wiped farm. */
export const WIPED_PREFIX = 'wiped:';

/**
 * Empties the operational tables of the aquaseed farm at `url` in one transaction and marks the
 * farm as wiped. A database aquaseed did not seed is refused untouched.
 */
export async function wipeFarm(url: string): Promise<WipeResult> {
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('BEGIN');
    const state = await inspectDatabase(client, 'public', database);
    if (state.kind === 'empty') {
      throw new AquaseedError(
        'AQUASEED_NOT_SEEDED',
        `database "${database}" holds no aquaseed farm to wipe (it has no tables)`,
        'seed it first (`aquaseed seed <preset> --database-url …`), or point --database-url at the database that holds the farm',
      );
    }
    const wiped = operationalTables();
    const kept = tableNames.filter((name) => !wiped.includes(name));
    // Locked up front so the counts below are exactly what TRUNCATE removes.
    await client.query(`LOCK TABLE ${wiped.map(ident).join(', ')} IN ACCESS EXCLUSIVE MODE`);
    const removed = await countRows(client, wiped);
    await client.query(`TRUNCATE ${wiped.map(ident).join(', ')}`);
    const keptCounts = await countRows(client, kept);
    const previousKey = state.key && !state.key.startsWith(WIPED_PREFIX) ? state.key : null;
    await client.query(`ALTER TABLE ${ident(MARKER_TABLE)} ADD COLUMN IF NOT EXISTS wiped_at timestamptz`);
    await client.query(
      `UPDATE ${ident(MARKER_TABLE)}
          SET key = CASE WHEN key LIKE '${WIPED_PREFIX}%' THEN key ELSE '${WIPED_PREFIX}' || key END,
              row_counts = $1, wiped_at = now()`,
      [JSON.stringify({ ...keptCounts, ...Object.fromEntries(wiped.map((name) => [name, 0])) })],
    );
    await client.query('COMMIT');
    return {
      database,
      removed,
      totalRemoved: Object.values(removed).reduce((a, b) => a + b, 0),
      kept: keptCounts,
      previousKey,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

async function countRows(client: pg.ClientBase, names: readonly string[]): Promise<Record<string, number>> {
  const union = names.map((name) => `SELECT '${name}' AS name, count(*)::bigint AS n FROM ${ident(name)}`).join(' UNION ALL ');
  const { rows } = await client.query<{ name: string; n: string }>(union);
  return Object.fromEntries(rows.map((row) => [row.name, Number(row.n)]));
}
