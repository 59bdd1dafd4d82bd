/**
 * `farm.changes()`: what every session (the app's own connections too) wrote to a tracked database
 * since tracking began or the last reset, per table, as rows with their column values.
 *
 * It reads the undo journal of src/changes/tracking.ts: the dirty tables, the primary keys their
 * statements touched and each touched row's pristine image. For every dirty table one statement
 * joins the touched keys to the pristine images and to the table's rows now (by primary key, an
 * index lookup per key), so it costs what changed, not the table's size. A key with no pristine
 * image and a row now was inserted; a pristine image and no row, deleted; both, updated (reported
 * only when a value differs).
 *
 * Tables saved whole (no primary key, or a partition) have no keys to pair rows by: their rows now
 * are compared with the saved copy as a multiset of whole rows, so an updated row shows as one row
 * deleted and one inserted, and reading them costs the table's size. Such tables are marked `whole`.
 *
 * Values come back as the farm's Kysely pool returns them (src/db/pool.ts farmTypes): int8 and
 * numeric as numbers, dates as 'YYYY-MM-DD', timestamps as Date, json as objects.
 */
import type pg from 'pg';
import { AquaseedError } from '../core/errors.js';
import { ident } from '../schema/identifiers.js';
import { farmTypes } from '../db/pool.js';
import { RESET_SCHEMA, keyMatchSql, type KeyColumn } from './journal-sql.js';

export type ChangedRow = Record<string, unknown>;

export interface RowUpdate {
  /** The row as it was when tracking began (or at the last reset). */
  before: ChangedRow;
  /** The row now. */
  after: ChangedRow;
  /** The columns whose values differ, in table order. */
  columns: string[];
}

export interface TableChanges {
  /** Rows that were not there and are now, in primary-key order. */
  inserted: ChangedRow[];
  /** Rows whose values changed, in primary-key order (a changed key shows as deleted + inserted). */
  updated: RowUpdate[];
  /** Rows that were there and are gone, as they were, in primary-key order. */
  deleted: ChangedRow[];
  /**
   * Set for a table without a primary key: rows are compared whole, so `updated` is always empty
   * (an update is one row deleted and one inserted) and rows come in no particular order.
   */
  whole?: true;
}

/**
 * Tables with at least one row changed, by name: a table of schema `public` by its bare name
 * (`batch_mortalityevent`), any other as `schema.table`. Tables written back to their starting
 * values do not appear.
 */
export type FarmChanges = Record<string, TableChanges>;

export interface ReadChangesOptions {
  /** Only these tables (names as in FarmChanges, or patterns matched against them); default all. */
  tables?: readonly (string | RegExp)[];
}

/** One dirty table as the journal registers it. */
interface DirtyTable {
  relid: number;
  /** `schema.table`, unquoted. */
  name: string;
  qualified: string;
  key: KeyColumn[] | null;
}

const S = ident(RESET_SCHEMA);

/**
 * The text forms the journal saved rows in (tracking.ts sets them on its trigger functions):
 * images are read back, and whole rows compared, under the same settings, for this query only.
 */
const JOURNAL_TEXT_SETTINGS = `SELECT set_config('datestyle', 'ISO, MDY', true), set_config('intervalstyle', 'postgres', true),
  set_config('extra_float_digits', '1', true), set_config('bytea_output', 'hex', true)`;

/** The name FarmChanges gives `schema.table`. */
export function changesTableName(schemaAndTable: string): string {
  return schemaAndTable.startsWith('public.') ? schemaAndTable.slice('public.'.length) : schemaAndTable;
}

/**
 * The changes of the tracked database `client` is connected to. Two round trips: the dirty
 * tables, then one statement per dirty table sent together.
 */
export async function readChanges(client: pg.ClientBase, options: ReadChangesOptions = {}): Promise<FarmChanges> {
  const dirty = (await dirtyTables(client)).filter((table) => wanted(changesTableName(table.name), options.tables));
  const changes: FarmChanges = {};
  if (dirty.length === 0) return changes;
  const statements = [JOURNAL_TEXT_SETTINGS, ...dirty.map((table) => (table.key ? keyedSql(table, table.key) : wholeSql(table)))];
  const results = (await client.query({ text: statements.join(';\n'), rowMode: 'array', types: farmTypes })) as unknown as pg.QueryArrayResult[];
  dirty.forEach((table, i) => {
    const result = results[i + 1]!;
    const found = table.key ? keyedChanges(result) : wholeChanges(result);
    if (found.inserted.length + found.updated.length + found.deleted.length > 0) changes[changesTableName(table.name)] = found;
  });
  return changes;
}

/** Every table the tracked database `client` is connected to tracks, named as FarmChanges names them, sorted. */
export async function trackedTableNames(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${S}.tracked`).catch((error: unknown) => {
    throw notTracked(error, 'this database');
  });
  return rows.map((row) => changesTableName(row.name)).sort();
}

function wanted(name: string, tables: ReadChangesOptions['tables']): boolean {
  if (!tables) return true;
  return tables.some((want) => (typeof want === 'string' ? changesTableName(want) === name : want.test(name)));
}

async function dirtyTables(client: pg.ClientBase): Promise<DirtyTable[]> {
  try {
    const { rows } = await client.query<{ relid: string; name: string; qualified: string; key: KeyColumn[] | null; whole: boolean }>(
      `SELECT t.relid::int8 AS relid, t.name, t.qualified, t.key, t.whole FROM ${S}.dirty d JOIN ${S}.tracked t USING (relid) ORDER BY t.name`,
    );
    return rows.map((row) => ({ relid: Number(row.relid), name: row.name, qualified: row.qualified, key: row.whole ? null : row.key }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '42P01' && code !== '3F000') throw error;
    const database = await client
      .query<{ name: string }>('SELECT current_database() AS name')
      .then(({ rows }) => `database "${rows[0]!.name}"`)
      .catch(() => 'this database');
    throw notTracked(error, database);
  }
}

function notTracked(error: unknown, database: string): unknown {
  const code = (error as { code?: string }).code;
  if (code !== '42P01' && code !== '3F000') return error; // undefined table / schema
  return new AquaseedError(
    'AQUASEED_NOT_TRACKED',
    `changes(): ${database} does not track its changes, so there is nothing to compare with`,
    "track it before the app writes: farm.clone({ resettable: true }), farm.trackChanges(), or farmIsolation: 'reset'",
    { cause: error },
  );
}

/**
 * Rows `side` ('b' before, 'a' after) + the key as text + every column of the table. The before
 * side casts the pristine images back to rows; the after side looks each touched key up in the
 * table (OFFSET 0 keeps the lookup a nested index probe per key, whatever the planner guesses
 * about the never-analyzed journal).
 */
function keyedSql(table: DirtyTable, key: readonly KeyColumn[]): string {
  const keyText = (alias: string): string => `ARRAY[${key.map(({ column }) => `${alias}.${ident(column)}::text`).join(', ')}]`;
  return `SELECT 'b' AS side, ${keyText('(x.r)')} AS key, (x.r).*
            FROM (SELECT image::${table.qualified} AS r FROM ${S}.journal WHERE relid = ${table.relid} OFFSET 0) x
          UNION ALL
          SELECT 'a', ${keyText('t')}, t.*
            FROM ${S}.keys k CROSS JOIN LATERAL (SELECT t.* FROM ${table.qualified} t WHERE ${keyMatchSql(key)} OFFSET 0) t
           WHERE k.relid = ${table.relid}`;
}

/** Whole rows that differ between the saved copy and the table now, as a multiset. */
function wholeSql(table: DirtyTable): string {
  return `WITH b AS (SELECT image, row_number() OVER (PARTITION BY image) AS n FROM ${S}.journal WHERE relid = ${table.relid}),
               a AS (SELECT t::text AS image, row_number() OVER (PARTITION BY t::text) AS n FROM ${table.qualified} t),
               d AS (SELECT 'b' AS side, b.image FROM b LEFT JOIN a USING (image, n) WHERE a.image IS NULL
                     UNION ALL
                     SELECT 'a', a.image FROM a LEFT JOIN b USING (image, n) WHERE b.image IS NULL)
          SELECT x.side, NULL::text[] AS key, (x.r).* FROM (SELECT d.side, d.image::${table.qualified} AS r FROM d OFFSET 0) x`;
}

interface SideRow {
  side: 'a' | 'b';
  key: string[] | null;
  row: ChangedRow;
}

function sideRows(result: pg.QueryArrayResult): SideRow[] {
  const names = result.fields.slice(2).map((field) => field.name);
  return result.rows.map((values) => {
    const row: ChangedRow = {};
    names.forEach((name, i) => {
      row[name] = values[i + 2];
    });
    return { side: values[0] as 'a' | 'b', key: values[1] as string[] | null, row };
  });
}

function keyedChanges(result: pg.QueryArrayResult): TableChanges {
  const before = new Map<string, SideRow>();
  const after = new Map<string, SideRow>();
  for (const entry of sideRows(result)) (entry.side === 'b' ? before : after).set(JSON.stringify(entry.key), entry);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort(compareKeys);
  const changes: TableChanges = { inserted: [], updated: [], deleted: [] };
  for (const key of keys) {
    const was = before.get(key)?.row;
    const now = after.get(key)?.row;
    if (was && now) {
      const columns = Object.keys(now).filter((column) => !sameValue(was[column], now[column]));
      if (columns.length > 0) changes.updated.push({ before: was, after: now, columns });
    } else if (now) {
      changes.inserted.push(now);
    } else if (was) {
      changes.deleted.push(was);
    }
  }
  return changes;
}

function wholeChanges(result: pg.QueryArrayResult): TableChanges {
  const changes: TableChanges = { inserted: [], updated: [], deleted: [], whole: true };
  for (const entry of sideRows(result)) (entry.side === 'b' ? changes.deleted : changes.inserted).push(entry.row);
  return changes;
}

/** Keys (JSON text arrays) in key order: whole numbers numerically, anything else as text. */
function compareKeys(a: string, b: string): number {
  const left = JSON.parse(a) as string[];
  const right = JSON.parse(b) as string[];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = compareKeyPart(left[i]!, right[i]!);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

function compareKeyPart(a: string, b: string): number {
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) {
    const difference = BigInt(a) - BigInt(b);
    return difference === 0n ? 0 : difference < 0n ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Equality of two values as pg parsed them: Dates by instant, Buffers by bytes, json and arrays deeply. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value, i) => sameValue(value, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const left = Object.keys(a);
    const right = Object.keys(b);
    return left.length === right.length && left.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return false;
}
