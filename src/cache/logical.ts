/**
 * Logical snapshots: every table as a binary COPY file. Binary saves PostgreSQL the text parsing
 * on restore; the files are tied to the major version, which is part of the cache entry's name.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { tableNames, type TableName } from '../schema/tables/index.js';
import { copyColumns } from '../db/copy-encoder.js';
import { qualified } from '../schema/identifiers.js';
import { withClient } from '../db/client.js';

/**
 * Writes every table of `schema` to `dir`, or what `select` returns for it: a query whose columns
 * are the table's, for rows that must be rewritten on the way out.
 */
export async function exportTables(url: string, schema: string, dir: string, select?: (table: TableName) => string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await withClient(url, async (client) => {
    for (const table of tableNames) {
      const source = select ? `(${select(table)})` : `${qualified(schema, table)} (${copyColumns(table)})`;
      const sql = `COPY ${source} TO STDOUT (FORMAT binary)`;
      await pipeline(client.query(copyTo(sql)), createWriteStream(join(dir, `${table}.copy`)));
    }
  });
}

/** Loads every table's file into `schema`, largest first, on `connections` connections. */
export async function importTables(
  url: string,
  schema: string,
  dir: string,
  rowCounts: Readonly<Record<string, number>>,
  connections: number,
): Promise<Map<TableName, number>> {
  const queue = [...tableNames].sort((a, b) => (rowCounts[b] ?? 0) - (rowCounts[a] ?? 0));
  await Promise.all(
    Array.from({ length: connections }, () =>
      withClient(url, async (client) => {
        for (let table = queue.shift(); table; table = queue.shift()) {
          const sql = `COPY ${qualified(schema, table)} (${copyColumns(table)}) FROM STDIN (FORMAT binary)`;
          await pipeline(createReadStream(join(dir, `${table}.copy`)), client.query(copyFrom(sql)));
        }
      }),
    ),
  );
  return new Map(tableNames.filter((table) => (rowCounts[table] ?? 0) > 0).map((table) => [table, rowCounts[table] ?? 0]));
}
