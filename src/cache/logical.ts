/**
 * Logical snapshots: every table as a binary COPY file. Binary saves PostgreSQL the text parsing
 * on restore; the files are tied to the major version, which is part of the cache entry's name.
 * Each file is hashed as it is written and checked as it is loaded (read once): a file whose
 * bytes changed aborts its COPY before it completes (UnusableEntryError), so no changed row is
 * ever published.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { tableNames, type TableName } from '../schema/tables/index.js';
import { copyColumns } from '../db/copy-encoder.js';
import { qualified } from '../schema/identifiers.js';
import { withClient } from '../db/client.js';
import { contentHasher } from './content-hash.js';
import { UnusableEntryError, type EntryContent, type EntryFile } from './entry-files.js';

/** The file of a table in a logical entry. */
export function tableFile(table: TableName): string {
  return `${table}.copy`;
}

/**
 * Writes every table of `schema` to `dir`, or what `select` returns for it: a query whose columns
 * are the table's, for rows that must be rewritten on the way out. Returns the files with their hashes.
 */
export async function exportTables(url: string, schema: string, dir: string, select?: (table: TableName) => string): Promise<EntryContent> {
  await mkdir(dir, { recursive: true });
  const files: EntryFile[] = [];
  await withClient(url, async (client) => {
    for (const table of tableNames) {
      const source = select ? `(${select(table)})` : `${qualified(schema, table)} (${copyColumns(table)})`;
      const sql = `COPY ${source} TO STDOUT (FORMAT binary)`;
      const hasher = await contentHasher();
      let size = 0;
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hasher.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(client.query(copyTo(sql)), hashing, createWriteStream(join(dir, tableFile(table))));
      files.push({ path: tableFile(table), size, hash: hasher.digest() });
    }
  });
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : 1)), dirs: [{ path: '', mode: 0o700 }] };
}

/** What a logical restore checked: bytes read and the time spent hashing them (the bench reports it). */
export interface ImportStats {
  bytes: number;
  hashSeconds: number;
}

/**
 * Loads every table's file into `schema`, largest first, on `connections` connections. With
 * `files` (the entry's manifest), each file's bytes are checked against its hash while they
 * stream; a mismatch fails that COPY (UnusableEntryError naming the file).
 */
export async function importTables(
  url: string,
  schema: string,
  dir: string,
  rowCounts: Readonly<Record<string, number>>,
  connections: number,
  files?: readonly EntryFile[],
  stats: ImportStats = { bytes: 0, hashSeconds: 0 },
): Promise<Map<TableName, number>> {
  const queue = [...tableNames].sort((a, b) => (rowCounts[b] ?? 0) - (rowCounts[a] ?? 0));
  const recorded = new Map((files ?? []).map((file) => [file.path, file]));
  await Promise.all(
    Array.from({ length: connections }, () =>
      withClient(url, async (client) => {
        for (let table = queue.shift(); table; table = queue.shift()) {
          const sql = `COPY ${qualified(schema, table)} (${copyColumns(table)}) FROM STDIN (FORMAT binary)`;
          const file = recorded.get(tableFile(table));
          if (files && !file) throw new UnusableEntryError(tableFile(table), 'is not in the manifest');
          const read = createReadStream(join(dir, tableFile(table)));
          const copy = client.query(copyFrom(sql));
          const loaded = file ? pipeline(read, await verifying(file, stats), copy) : pipeline(read, copy);
          await loaded.catch((error: unknown) => {
            queue.length = 0; // the other connections stop after their current table: the load has failed
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UnusableEntryError(tableFile(table), 'is missing', { cause: error });
            throw error;
          });
        }
      }),
    ),
  );
  return new Map(tableNames.filter((table) => (rowCounts[table] ?? 0) > 0).map((table) => [table, rowCounts[table] ?? 0]));
}

/**
 * Passes a file's bytes through, hashing them; at the end (before the COPY is told it is
 * complete) a size or hash that differs from the manifest's fails the stream, which aborts the COPY.
 */
async function verifying(file: EntryFile, stats: ImportStats): Promise<Transform> {
  const hasher = await contentHasher();
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const mark = performance.now();
      hasher.update(chunk);
      stats.hashSeconds += (performance.now() - mark) / 1000;
      size += chunk.length;
      stats.bytes += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      if (size !== file.size) return done(new UnusableEntryError(file.path, `is ${size} bytes, expected ${file.size}`));
      const hash = hasher.digest();
      if (hash !== file.hash) return done(new UnusableEntryError(file.path, `does not match its content hash (${hash}, expected ${file.hash}): its bytes changed after the entry was written`));
      done();
    },
  });
}
