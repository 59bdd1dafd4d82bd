/**
 * Copies what a tracked database changed since its last reset into another copy of the same
 * template, so that the second holds the first's state: how a failed test's database is kept
 * (`keepFailed`) while its tracked copy is reset for the next test. Costs what the test changed.
 */
import type pg from 'pg';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { ident } from '../schema/identifiers.js';
import { withClient, withTransaction } from '../db/client.js';
import { keyMatchSql, RESET_SCHEMA, type KeyColumn } from './journal-sql.js';
import { mayUseReplicaRole } from './tracking.js';

const S = ident(RESET_SCHEMA);

export interface CopiedChanges {
  tables: string[];
  rows: number;
  sequences: number;
}

/**
 * `targetUrl` must be an untouched copy of the template `sourceUrl` was tracked from: both start
 * from the same rows (and the same table and sequence oids), so the source's journal says which
 * rows to replace.
 */
export async function copyChanges(sourceUrl: string, targetUrl: string): Promise<CopiedChanges> {
  return withClient(sourceUrl, (source) =>
    withClient(targetUrl, (target) =>
      // One snapshot of the journal and the rows it names; the target commits first.
      withTransaction(source, () => withTransaction(target, () => copyInto(source, target)), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'),
    ),
  );
}

/** Inside both transactions: replaces the target's rows of every table the source wrote, then its sequences. */
async function copyInto(source: pg.Client, target: pg.Client): Promise<CopiedChanges> {
  const { rows: dirty } = await source.query<{ relid: number; name: string; qualified: string; key: KeyColumn[] | null; columns: string[] }>(
    `SELECT t.relid, t.name, t.qualified, t.key, t.columns FROM ${S}.dirty d JOIN ${S}.tracked t USING (relid) ORDER BY t.name`,
  );
  if (await mayUseReplicaRole(target)) await target.query('SET LOCAL session_replication_role = replica');
  else await target.query('SET CONSTRAINTS ALL DEFERRED');
  await target.query('CREATE TEMP TABLE aquaseed_keys (key text[] NOT NULL) ON COMMIT DROP');
  let rows = 0;
  for (const table of dirty) {
    const columns = table.columns.map(ident).join(', ');
    const picked = table.columns.map((column) => `t.${ident(column)}`).join(', ');
    let select: string;
    if (table.key) {
      await target.query('TRUNCATE aquaseed_keys');
      await pipe(source, `COPY (SELECT key FROM ${S}.keys WHERE relid = ${table.relid}) TO STDOUT`, target, 'COPY aquaseed_keys FROM STDIN');
      await target.query(`DELETE FROM ${table.qualified} t USING aquaseed_keys k WHERE ${keyMatchSql(table.key)}`);
      select = `SELECT ${picked} FROM ${table.qualified} t JOIN ${S}.keys k ON k.relid = ${table.relid} AND ${keyMatchSql(table.key)}`;
    } else {
      await target.query(`DELETE FROM ${table.qualified}`);
      select = `SELECT ${picked} FROM ${table.qualified} t`;
    }
    rows += await pipe(source, `COPY (${select}) TO STDOUT (FORMAT binary)`, target, `COPY ${table.qualified} (${columns}) FROM STDIN (FORMAT binary)`);
  }
  const sequences = await copySequences(source, target);
  return { tables: dirty.map((table) => table.name), rows, sequences };
}

/** Streams one COPY TO into one COPY FROM; the rows the target took. */
async function pipe(source: pg.Client, out: string, target: pg.Client, into: string): Promise<number> {
  const sink = target.query(copyFrom(into));
  await pipeline(source.query(copyTo(out)), sink);
  return sink.rowCount ?? 0;
}

/** Every sequence the source tracks, set in the target to the source's current state. */
async function copySequences(source: pg.Client, target: pg.Client): Promise<number> {
  const { rows: names } = await source.query<{ name: string }>(`SELECT seq::regclass::text AS name FROM ${S}.sequences ORDER BY seq`);
  if (names.length === 0) return 0;
  const { rows } = await source.query<{ name: string; last_value: string; is_called: boolean }>(
    names.map(({ name }, i) => `SELECT $${i + 1}::text AS name, last_value, is_called FROM ${name}`).join(' UNION ALL '),
    names.map(({ name }) => name),
  );
  await target.query(
    `SELECT setval(s.name::regclass, s.last_value, s.is_called) FROM json_to_recordset($1::json) AS s(name text, last_value int8, is_called boolean)`,
    [JSON.stringify(rows)],
  );
  return rows.length;
}
