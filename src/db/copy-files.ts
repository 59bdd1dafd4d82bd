/**
 * The COPY chunks a loader sends, written to files as they go to the server: a first seed writes
 * its logical cache entry while it loads, instead of reading every table back out afterwards.
 * One file per table per loader (`<table>.<part>.txt`, COPY text), hashed as it is written.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { contentHasher, type ContentHasher } from '../host/content-hash.js';
import type { TableName } from '../schema/tables/index.js';

/** A file written, with its size and content hash (a cache entry's manifest lists them). */
export interface WrittenFile {
  path: string;
  size: number;
  hash: string;
}

/** The file of one table's rows from one loader (`part` tells loaders apart). */
export function copyTextFile(table: TableName, part: string): string {
  return `${table}.${part}.txt`;
}

/** The table a COPY text file of `copyTextFile` holds, or null for any other name. */
export function tableOfCopyTextFile(path: string): string | null {
  const match = /^([a-z0-9_]+)\.[a-z0-9]+\.txt$/.exec(path);
  return match ? (match[1] as string) : null;
}

interface OpenFile {
  path: string;
  handle: Promise<FileHandle>;
  hasher: Promise<ContentHasher>;
  size: number;
  /** Writes to one file go one after the other, so the hash follows the bytes' order. */
  last: Promise<void>;
}

export class CopyFiles {
  private readonly files = new Map<TableName, OpenFile>();

  /** `dir` exists; `part` names this loader's files (unique among the loaders of one seed). */
  constructor(
    private readonly dir: string,
    private readonly part: string,
  ) {}

  /** Appends a chunk of whole COPY lines to the table's file; resolves once it is written. */
  write(table: TableName, data: Buffer): Promise<void> {
    let file = this.files.get(table);
    if (!file) {
      const path = copyTextFile(table, this.part);
      file = { path, handle: open(join(this.dir, path), 'wx', 0o600), hasher: contentHasher(), size: 0, last: Promise.resolve() };
      this.files.set(table, file);
    }
    const target = file;
    target.last = target.last.then(async () => {
      (await target.hasher).update(data);
      const handle = await target.handle;
      for (let at = 0; at < data.length; ) at += (await handle.write(data, at, data.length - at)).bytesWritten;
      target.size += data.length;
    });
    return target.last;
  }

  /** Closes every file (after the last write) and returns them, sorted by path. */
  async close(): Promise<WrittenFile[]> {
    const out: WrittenFile[] = [];
    const failures: unknown[] = [];
    for (const file of this.files.values()) {
      await file.last.catch((error: unknown) => failures.push(error));
      await (await file.handle.catch(() => null))?.close();
      out.push({ path: file.path, size: file.size, hash: (await file.hasher).digest() });
    }
    this.files.clear();
    if (failures.length > 0) throw failures[0];
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }
}
