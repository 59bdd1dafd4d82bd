/**
 * The marker table: aquaseed's record, in the farm's own database, of which farm it holds (key,
 * preset, schedule, row counts) and whether it was wiped. Its name, its shape and every read and
 * write of it live here: a database is aquaseed's when it holds this table.
 */
import type pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { ident, literal, qualified } from '../schema/identifiers.js';
import type { Schedule } from '../schedule/types.js';

export const MARKER_TABLE = 'aquaseed_farm';

/** What a wiped farm's key becomes: no seed's key matches it, so `up`/reuse never serves a wiped farm. */
export const WIPED_PREFIX = 'wiped:';

/** What a seed writes. */
export interface FarmMarker {
  key: string;
  preset: string;
  packageVersion: string;
  engineVersion: number;
  schemaVersion: number;
  schedule: unknown;
  rowCounts: Record<string, number>;
}

/** What a reader gets back. */
export interface StoredMarker {
  /** The farm's cache key (`wiped:<key>` once wiped). */
  key: string;
  preset: string;
  /** The schedule the farm was seeded from, as stored (JSON). */
  schedule: Schedule;
  rowCounts: Record<string, number>;
}

/** Creates the marker table if it is missing (idempotent, so an existing-schema seed can reuse it). */
export function markerTableStatements(schema: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${qualified(schema, MARKER_TABLE)} (
       key text NOT NULL, preset text NOT NULL, package_version text NOT NULL,
       engine_version integer NOT NULL, schema_version integer NOT NULL,
       schedule jsonb NOT NULL, row_counts jsonb NOT NULL)`,
    `COMMENT ON TABLE ${qualified(schema, MARKER_TABLE)} IS 'Written by aquaseed: which farm this database holds. Do not edit.'`,
  ];
}

/** Replaces the marker's one row (inside the caller's transaction). */
export async function writeMarker(client: pg.ClientBase, schema: string, marker: FarmMarker): Promise<void> {
  await client.query(`DELETE FROM ${qualified(schema, MARKER_TABLE)}`);
  await client.query(`INSERT INTO ${qualified(schema, MARKER_TABLE)} VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    marker.key,
    marker.preset,
    marker.packageVersion,
    marker.engineVersion,
    marker.schemaVersion,
    JSON.stringify(marker.schedule),
    JSON.stringify(marker.rowCounts),
  ]);
}

/**
 * Marks the farm of the database `client` is on (schema public) as wiped, with the row counts it
 * has left (inside the caller's transaction). Wiping a wiped farm keeps its one prefix.
 */
export async function markWiped(client: pg.ClientBase, rowCounts: Record<string, number>): Promise<void> {
  const table = ident(MARKER_TABLE);
  await client.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS wiped_at timestamptz`);
  await client.query(
    `UPDATE ${table}
        SET key = CASE WHEN key LIKE '${WIPED_PREFIX}%' THEN key ELSE '${WIPED_PREFIX}' || key END,
            row_counts = $1, wiped_at = now()`,
    [JSON.stringify(rowCounts)],
  );
}

/** The farm's key before it was wiped, or null for a wiped one. */
export function unwipedKey(key: string | null): string | null {
  return key && !key.startsWith(WIPED_PREFIX) ? key : null;
}

/**
 * The marker of the database `client` is on, or null when it has none (not an aquaseed farm).
 * `schema` omitted: the table the session's search_path finds.
 */
export function readMarker(client: pg.ClientBase, schema?: string): Promise<StoredMarker | null> {
  return read(async <R>(text: string) => (await client.query(text)).rows as R[], schema);
}

/** readMarker on a Kysely handle (the checks' connections), through the session's search_path. */
export function readMarkerIn<DB>(db: Kysely<DB>): Promise<StoredMarker | null> {
  return read(async <R>(text: string) => (await sql.raw<R>(text).execute(db)).rows);
}

/** Whether the database `client` is on holds a marker table in `schema`. */
export async function hasMarker(client: pg.ClientBase, schema = 'public'): Promise<boolean> {
  const { rows } = await client.query<{ present: boolean }>(presenceSql(qualified(schema, MARKER_TABLE)));
  return rows[0]?.present ?? false;
}

/** The seeded schedule's asOf (a YYYY-MM-DD date), if the marker holds one. */
export function markerAsOf(marker: StoredMarker | null): string | null {
  const asOf = (marker?.schedule as { asOf?: unknown } | undefined)?.asOf;
  return typeof asOf === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : null;
}

type Run = <R>(text: string) => Promise<R[]>;

async function read(run: Run, schema?: string): Promise<StoredMarker | null> {
  const table = schema === undefined ? ident(MARKER_TABLE) : qualified(schema, MARKER_TABLE);
  // Looked up first, not caught: a failed query would abort the caller's transaction.
  const [presence] = await run<{ present: boolean }>(presenceSql(table));
  if (!presence?.present) return null;
  const [row] = await run<{ key: string; preset: string; schedule: Schedule; row_counts: Record<string, number> }>(
    `SELECT key, preset, schedule, row_counts FROM ${table} LIMIT 1`,
  );
  return row ? { key: row.key, preset: row.preset, schedule: row.schedule, rowCounts: row.row_counts } : null;
}

function presenceSql(table: string): string {
  return `SELECT to_regclass(${literal(table)}) IS NOT NULL AS present`;
}
