import type pg from 'pg';
import { tables, tableNames, type TableName } from './tables/index.js';
import { ident, qualified } from './identifiers.js';

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
