/**
 * Change tracking for `reset()`: statement-level triggers on every table of the database record,
 * for each statement any session runs, which table it wrote and which rows, in an undo journal
 * kept beside the tables (schema `aquaseed_reset`, UNLOGGED tables):
 *
 * - `dirty`: the tables written since the last reset;
 * - `keys`: per table, the primary keys its statements inserted, updated or deleted;
 * - `journal`: per table, each such row as it was before its first change (the pristine image),
 *   in its text form, which PostgreSQL reads back exactly for every type.
 *
 * A reset deletes the touched keys and puts the pristine images back, so it costs what the test
 * changed, whatever the size of the table. Tables without a primary key (and partitions, which
 * cannot have transition tables) are saved whole before their first write instead. TRUNCATE saves
 * the rows not yet journaled before it runs. Sequences are compared with their values at tracking
 * time on every reset: nextval() is not transactional and writes no row.
 *
 * The triggers are ENABLE ALWAYS, so an app that sets session_replication_role = replica is
 * still tracked; the reset itself sets `aquaseed.restoring` to keep its own writes out.
 */
import type pg from 'pg';
import { AquaseedError } from '../core/errors.js';
import { qualified } from '../schema/identifiers.js';
import { withTransaction } from '../db/client.js';
import {
  DATA_SCHEMAS,
  RESET_SCHEMA,
  relationsSql,
  resetFunctionSql,
  S,
  schemaSql,
  sequenceValuesSql,
  tableTrackingSql,
  TRIGGER_PREFIX,
  type KeyColumn,
  type SequenceRef,
  type TrackedTable,
} from './journal-sql.js';

export interface TrackingSummary {
  /** Tables tracked row by row (they have a primary key). */
  rowTables: number;
  /** Tables saved whole before their first write (no primary key, or a partition). */
  wholeTables: number;
  sequences: number;
  /** True when resets run with session_replication_role = replica (no trigger or FK check fires). */
  replica: boolean;
  seconds: number;
}

/** Whether `trackChanges` already ran on this database. */
export async function isTracked(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ tracked: boolean }>(`SELECT to_regclass('${RESET_SCHEMA}.settings') IS NOT NULL AS tracked`);
  return rows[0]?.tracked ?? false;
}

/**
 * Installs tracking on the database `client` is connected to, in one transaction: from now on the
 * database's current contents are what `resetDatabase` returns to. Idempotent: a tracked database
 * is left as it is (its reference state stays the one of the first call).
 */
export async function trackChanges(client: pg.ClientBase, database: string): Promise<TrackingSummary> {
  const started = performance.now();
  try {
    const summary = await withTransaction(client, async (): Promise<Omit<TrackingSummary, 'seconds'>> => {
      // Two sessions installing at once: the second waits here, then finds the schema and stops.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('aquaseed:track'))`);
      if (await isTracked(client)) return trackedSummary(client);
      const replica = await mayUseReplicaRole(client);
      const tables = await readTables(client);
      if (!replica) await refuseUnrestorable(client, database);
      const sequences = await readSequences(client);
      await client.query(schemaSql(replica));
      await client.query(tables.map(tableTrackingSql).join(';\n'));
      await client.query(resetFunctionSql(sequences));
      await client.query(`INSERT INTO ${S}.sequences ${sequenceValuesSql(sequences)}`);
      await client.query(`INSERT INTO ${S}.relations SELECT oid, relnatts FROM (${relationsSql()}) r`);
      const wholeTables = tables.filter((table) => !table.key).length;
      return { rowTables: tables.length - wholeTables, wholeTables, sequences: sequences.length, replica };
    });
    return { ...summary, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    if (error instanceof AquaseedError) throw error;
    throw new AquaseedError(
      'AQUASEED_RESET_UNSUPPORTED',
      `cannot track changes in database "${database}": ${(error as Error).message}`,
      "isolate this suite with farmIsolation 'clone' (a copy per file) instead of 'reset'",
      { cause: error },
    );
  }
}

async function trackedSummary(client: pg.ClientBase): Promise<Omit<TrackingSummary, 'seconds'>> {
  const { rows } = await client.query<{ row_tables: number; whole_tables: number; sequences: number; replica: boolean }>(
    `SELECT (SELECT count(*)::int FROM ${S}.tracked WHERE whole = false) AS row_tables,
            (SELECT count(*)::int FROM ${S}.tracked WHERE whole) AS whole_tables,
            (SELECT count(*)::int FROM ${S}.sequences) AS sequences,
            (SELECT replica FROM ${S}.settings) AS replica`,
  );
  const row = rows[0]!;
  return { rowTables: row.row_tables, wholeTables: row.whole_tables, sequences: row.sequences, replica: row.replica };
}

/**
 * Resets may skip triggers and foreign-key checks (session_replication_role = replica) when the
 * role may set it: a superuser, or on PostgreSQL 15+ one granted SET on the parameter.
 */
export async function mayUseReplicaRole(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ allowed: boolean }>(
    `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
         OR (current_setting('server_version_num')::int >= 150000
             AND has_parameter_privilege(current_user, 'session_replication_role', 'SET')) AS allowed`,
  );
  return rows[0]?.allowed ?? false;
}

async function readTables(client: pg.ClientBase): Promise<TrackedTable[]> {
  const { rows } = await client.query<{
    oid: number;
    schema: string;
    name: string;
    partition: boolean;
    key: KeyColumn[] | null;
    columns: string[] | null;
  }>(
    `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name,
            c.relispartition OR EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) AS partition,
            (SELECT json_agg(json_build_object('column', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) ORDER BY k.ord)
               FROM pg_index x CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
              WHERE x.indrelid = c.oid AND x.indisprimary) AS key,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND c.relpersistence <> 't' AND ${DATA_SCHEMAS}
      ORDER BY n.nspname, c.relname`,
  );
  return rows.map((row) => ({
    oid: Number(row.oid),
    schema: row.schema,
    name: row.name,
    // Partitions and inheritance children cannot have triggers with transition tables.
    key: row.partition ? null : row.key,
    columns: row.columns ?? [],
  }));
}

/**
 * Without session_replication_role, a reset's deletes and inserts fire the database's own
 * triggers and rules and check foreign keys as they go: refuse what would make that go wrong,
 * naming it, instead of leaving a database that is not as it was.
 */
async function refuseUnrestorable(client: pg.ClientBase, database: string): Promise<void> {
  const { rows } = await client.query<{ what: string }>(
    `SELECT format('trigger %I on %I.%I', t.tgname, n.nspname, c.relname) AS what
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT t.tgisinternal AND t.tgname NOT LIKE '${TRIGGER_PREFIX}%' AND ${DATA_SCHEMAS}
     UNION ALL
     SELECT format('rule %I on %I.%I', r.rulename, n.nspname, c.relname)
       FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND ${DATA_SCHEMAS}
     UNION ALL
     SELECT format('foreign key %I on %I.%I (%s)', k.conname, n.nspname, c.relname,
                   CASE WHEN NOT k.condeferrable THEN 'not deferrable' ELSE 'ON DELETE/UPDATE action' END)
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND (NOT k.condeferrable OR k.confdeltype <> 'a' OR k.confupdtype <> 'a') AND ${DATA_SCHEMAS}
      ORDER BY 1 LIMIT 6`,
  );
  if (rows.length === 0) return;
  const names = rows.slice(0, 5).map((row) => row.what).join(', ');
  throw new AquaseedError(
    'AQUASEED_RESET_UNSUPPORTED',
    `cannot track changes in database "${database}": without permission to set session_replication_role, a reset would run ${names}${rows.length > 5 ? ', …' : ''} while it restores rows`,
    'connect as a superuser, or GRANT SET ON PARAMETER session_replication_role TO <the role> (PostgreSQL 15+); or use farmIsolation \'clone\'',
  );
}

async function readSequences(client: pg.ClientBase): Promise<SequenceRef[]> {
  const { rows } = await client.query<{ oid: string; schema: string; name: string }>(
    `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND c.relpersistence <> 't' AND ${DATA_SCHEMAS} ORDER BY c.oid`,
  );
  return rows.map((row) => ({ oid: Number(row.oid), qualified: qualified(row.schema, row.name) }));
}

