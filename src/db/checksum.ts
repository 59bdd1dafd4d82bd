import type pg from 'pg';
import { tables, tableNames, type TableName } from '../schema/tables/index.js';
import { ident, qualified } from '../schema/identifiers.js';

export interface TableChecksum {
  rows: number;
  md5: string;
}

/**
 * A content hash of every table: md5 over the md5 of each row's text form, in primary-key order.
 * Equal checksums mean identical table contents (the determinism tests compare them).
 */
export async function tableChecksums(client: pg.ClientBase, schema = 'public'): Promise<Record<TableName, TableChecksum>> {
  const out = {} as Record<TableName, TableChecksum>;
  for (const name of tableNames) {
    const order = tables[name].primaryKey.map(ident).join(', ');
    const { rows } = await client.query<{ rows: string; md5: string | null }>(
      `SELECT count(*) AS rows, md5(string_agg(md5(t::text), '' ORDER BY ${order})) AS md5 FROM ${qualified(schema, name)} t`,
    );
    out[name] = { rows: Number(rows[0]?.rows ?? 0), md5: rows[0]?.md5 ?? '' };
  }
  return out;
}

/**
 * The whole database's state: a content hash of every table in every schema (the AquaMind tables
 * and any other, rows hashed in their text form and ordered by hash, so tables without a key
 * count too) and the state of every sequence. Equal states mean a reset put everything back.
 * aquaseed's own reset journal (schema `aquaseed_reset`) is left out.
 */
export async function databaseState(client: pg.ClientBase): Promise<{ tables: Record<string, TableChecksum>; sequences: Record<string, string> }> {
  const where = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'aquaseed_reset') AND n.nspname NOT LIKE 'pg\\_%'`;
  const relations = await client.query<{ name: string; kind: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'S') AND c.relpersistence <> 't' AND ${where} ORDER BY 1`,
  );
  const tables: Record<string, TableChecksum> = {};
  const sequences: Record<string, string> = {};
  for (const { name, kind } of relations.rows) {
    if (kind === 'S') {
      const { rows } = await client.query<{ state: string }>(`SELECT format('%s/%s', last_value, is_called) AS state FROM ${name}`);
      sequences[name] = rows[0]!.state;
      continue;
    }
    const { rows } = await client.query<{ rows: string; md5: string | null }>(
      `SELECT count(*) AS rows, md5(string_agg(h, '' ORDER BY h)) AS md5 FROM (SELECT md5(t::text) AS h FROM ${name} t) hashed`,
    );
    tables[name] = { rows: Number(rows[0]?.rows ?? 0), md5: rows[0]?.md5 ?? '' };
  }
  return { tables, sequences };
}
