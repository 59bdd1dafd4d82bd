/**
 * Logical snapshots: a first seed writes its COPY text chunks to files as it loads them (one
 * file per table per loader, src/db/copy-files.ts); an export of a database's tables (existing-
 * schema mode, whose rows must be renumbered on the way out) writes one binary COPY file per
 * table. Both are tied to the major version, which is part of the cache entry's name.
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
import { tableOfCopyTextFile } from '../db/copy-files.js';
import { qualified } from '../schema/identifiers.js';
import { withClient, withTransaction } from '../db/client.js';
import { contentHasher } from '../host/content-hash.js';
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

/** One file to load: a table's binary export, or one of its COPY text files written while a seed loaded. */
interface ImportJob {
  table: TableName;
  path: string;
  format: 'binary' | 'text';
  file: EntryFile | undefined;
  size: number;
}

/**
 * Loads every table's files into `schema` (fresh tables nothing else uses meanwhile), one table per
 * transaction, largest first, on `connections` connections. With
 * `files` (the entry's manifest), each file's bytes are checked against its hash while they
 * stream; a mismatch fails that COPY (UnusableEntryError naming the file), and so does a table
 * whose files hold another number of rows than the manifest says.
 */
export interface ImportOptions {
  /** The entry's manifest: each file is checked against its hash and each table's rows against `rowCounts`. */
  files?: readonly EntryFile[] | undefined;
  stats?: ImportStats;
  /** Called as each table's rows are committed. */
  onTableLoaded?: (table: TableName) => void;
}

export async function importTables(
  url: string,
  schema: string,
  dir: string,
  rowCounts: Readonly<Record<string, number>>,
  connections: number,
  options: ImportOptions = {},
): Promise<Map<TableName, number>> {
  const { files, stats = { bytes: 0, hashSeconds: 0 } } = options;
  const jobs = importJobs(rowCounts, files);
  const queue = tableLoads(jobs);
  const loadedRows = new Map<TableName, number>();
  await Promise.all(
    Array.from({ length: connections }, () =>
      withClient(url, async (client) => {
        for (let load = queue.shift(); load; load = queue.shift()) {
          // One transaction per table, truncated first: COPY FREEZE writes its rows frozen (no
          // second write of every page when first read) and, at wal_level=minimal, without WAL.
          await withTransaction(client, async () => {
            await client.query(`TRUNCATE ${qualified(schema, load.table)}`);
            for (const job of load.jobs) {
              const { table, path, file } = job;
              const format = job.format === 'binary' ? 'FORMAT binary, ' : '';
              const sql = `COPY ${qualified(schema, table)} (${copyColumns(table)}) FROM STDIN (${format}FREEZE)`;
              const read = createReadStream(join(dir, path));
              const copy = client.query(copyFrom(sql));
              const loaded = file ? pipeline(read, await verifying(file, stats), copy) : pipeline(read, copy);
              await loaded.catch(async (error: unknown) => {
                queue.length = 0; // the other connections stop after their current table: the load has failed
                if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UnusableEntryError(path, 'is missing', { cause: error });
                // PostgreSQL can refuse a changed byte before the stream's end is checked: name the file then.
                if (file) await checkWhole(join(dir, path), file, error);
                throw error;
              });
              loadedRows.set(table, (loadedRows.get(table) ?? 0) + copy.rowCount);
            }
          });
          options.onTableLoaded?.(load.table);
        }
      }),
    ),
  );
  if (files) {
    for (const table of tableNames) {
      const expected = rowCounts[table] ?? 0;
      const loaded = loadedRows.get(table) ?? 0;
      if (loaded !== expected) {
        const paths = jobs.filter((job) => job.table === table).map((job) => job.path);
        throw new UnusableEntryError(paths.join(', ') || tableFile(table), `holds ${loaded} rows of ${table} where the manifest says ${expected}`);
      }
    }
  }
  return new Map(tableNames.filter((table) => (rowCounts[table] ?? 0) > 0).map((table) => [table, rowCounts[table] ?? 0]));
}

/** The jobs grouped by table, the table with the most bytes first. */
function tableLoads(jobs: readonly ImportJob[]): { table: TableName; jobs: ImportJob[]; size: number }[] {
  const loads = new Map<TableName, { table: TableName; jobs: ImportJob[]; size: number }>();
  for (const job of jobs) {
    const load = loads.get(job.table) ?? { table: job.table, jobs: [], size: 0 };
    load.jobs.push(job);
    load.size += job.size;
    loads.set(job.table, load);
  }
  return [...loads.values()].sort((a, b) => b.size - a.size);
}

/** The files to load: from the manifest when there is one (either kind), else one binary file per table. */
function importJobs(rowCounts: Readonly<Record<string, number>>, files: readonly EntryFile[] | undefined): ImportJob[] {
  if (!files) return tableNames.map((table) => ({ table, path: tableFile(table), format: 'binary', file: undefined, size: rowCounts[table] ?? 0 }));
  const known = new Set<string>(tableNames);
  const jobs: ImportJob[] = [];
  for (const file of files) {
    const text = tableOfCopyTextFile(file.path);
    const table = text ?? file.path.replace(/\.copy$/, '');
    if (!known.has(table) || (!text && !file.path.endsWith('.copy'))) continue;
    jobs.push({ table: table as TableName, path: file.path, format: text ? 'text' : 'binary', file, size: file.size });
  }
  for (const table of tableNames) {
    if ((rowCounts[table] ?? 0) > 0 && !jobs.some((job) => job.table === table)) throw new UnusableEntryError(tableFile(table), 'is not in the manifest');
  }
  return jobs;
}

/** Reads a whole file and throws UnusableEntryError if its size or hash differs from the manifest's. */
async function checkWhole(path: string, file: EntryFile, cause: unknown): Promise<void> {
  const hasher = await contentHasher();
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hasher.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const hash = hasher.digest();
  if (size !== file.size || hash !== file.hash) {
    throw new UnusableEntryError(file.path, `does not match its content hash (${hash}, ${size} bytes; expected ${file.hash}, ${file.size} bytes): its bytes changed after the entry was written`, { cause });
  }
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
