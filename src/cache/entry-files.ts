/**
 * A cache entry's files, copied with their content hashes (src/host/content-hash.ts): written into an
 * entry, each file is hashed as it is read from the source; restored from an entry, each file is
 * checked against its recorded hash as it is copied, so its bytes are read once, never twice. On
 * a copy-on-write filesystem a restore may clone the files instead (`reflink`): nothing is read,
 * so nothing is checked, and the entry's verified mark (snapshot-store.ts) says when it last was.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { contentHasher, type ContentHasher } from '../host/content-hash.js';

export interface EntryFile {
  /** Relative to the entry's data directory, with forward slashes. */
  path: string;
  size: number;
  /** CONTENT_HASH of its bytes, hex. */
  hash: string;
  /** Permission bits (a cluster's files must be 0600 for PostgreSQL); omitted: 0600. */
  mode?: number;
}

export interface EntryDir {
  path: string;
  mode: number;
}

/** What an entry's data directory holds: every file with its hash, and every directory (empty ones count). */
export interface EntryContent {
  files: EntryFile[];
  dirs: EntryDir[];
}

/** How a restore copied an entry's files: `read` (and verified) or `reflink` (cloned, nothing read). */
export type CopyMethod = 'read' | 'reflink';

/** What a copy or a check cost; `hashSeconds` is the part of `seconds` spent hashing (the bench reports it). */
export interface CopyStats {
  method: CopyMethod;
  files: number;
  bytes: number;
  seconds: number;
  hashSeconds: number;
}

/**
 * An entry's file that is not what its manifest records (changed bytes, another size, missing, or
 * unreadable): the entry cannot be served. `file` is relative to the entry's data directory.
 */
export class UnusableEntryError extends Error {
  constructor(
    readonly file: string,
    readonly why: string,
    options?: { cause?: unknown },
  ) {
    super(`${file} ${why}`, options);
    this.name = 'UnusableEntryError';
  }
}

/** Whether `error`, or an error it was caused by (a seed wraps what failed under it), is an UnusableEntryError. */
export function unusableEntryIn(error: unknown): UnusableEntryError | undefined {
  for (let at = error; at; at = (at as { cause?: unknown }).cause) {
    if (at instanceof UnusableEntryError) return at;
    if (typeof at !== 'object') return undefined;
  }
  return undefined;
}

/** Files copied at once: a cluster is thousands of small files, where the system calls dominate. */
const PARALLEL = 4;
const CHUNK = 1 << 20;

/**
 * Copies the tree `from` into `to` (made here), hashing every file as it is read; names in
 * `skipAtRoot` (a running cluster's pid file) stay behind. Symbolic links are refused: an entry
 * holds regular files only.
 */
export async function copyHashing(from: string, to: string, skipAtRoot: ReadonlySet<string> = new Set()): Promise<EntryContent & { stats: CopyStats }> {
  const started = performance.now();
  const content = await walk(from, skipAtRoot);
  await makeDirs(to, content.dirs);
  let hashSeconds = 0;
  const files: EntryFile[] = [];
  await inParallel(content.files, async (file, buffer) => {
    const hasher = await contentHasher();
    const copied = await copyFileThrough(from, to, file, buffer, hasher);
    hashSeconds += copied.hashSeconds;
    files.push({ path: file.path, size: copied.bytes, hash: hasher.digest(), ...(file.mode !== undefined && file.mode !== 0o600 ? { mode: file.mode } : {}) });
  });
  files.sort(byPath);
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  return { files, dirs: content.dirs, stats: { method: 'read', files: files.length, bytes, seconds: (performance.now() - started) / 1000, hashSeconds } };
}

export interface RestoreCopyOptions {
  /** `auto` (default): clone the files where the filesystem can, else read and verify them. */
  method?: 'auto' | 'read';
  /** Check the bytes while copying (default true; false only to measure what checking costs). */
  verify?: boolean;
  /** Clones one file without reading it (default: copyFile with COPYFILE_FICLONE_FORCE); throws where it cannot. */
  cloneFile?: (from: string, to: string) => Promise<void>;
}

/**
 * Copies an entry's `content` from `from` into `to` (made here). Read copies check every file's
 * size and hash as they go and throw UnusableEntryError at the first that differs; a clone
 * (reflink) checks nothing. A failure writing `to` (a full disk) is thrown as it is.
 */
export async function copyVerified(from: string, to: string, content: EntryContent, options: RestoreCopyOptions = {}): Promise<CopyStats> {
  const started = performance.now();
  await makeDirs(to, content.dirs);
  const verify = options.verify ?? true;
  const method = options.method === 'read' ? 'read' : await tryClone(from, to, content.files[0], options.cloneFile ?? reflink);
  let hashSeconds = 0;
  let bytes = 0;
  const rest = method === 'reflink' ? content.files.slice(1) : content.files;
  await inParallel(rest, async (file, buffer) => {
    if (method === 'reflink') {
      await (options.cloneFile ?? reflink)(join(from, file.path), join(to, file.path)).catch((error: unknown) => {
        throw sourceError(error, file.path);
      });
      bytes += file.size;
      return;
    }
    const hasher = verify ? await contentHasher() : null;
    const copied = await copyFileThrough(from, to, file, buffer, hasher);
    hashSeconds += copied.hashSeconds;
    bytes += copied.bytes;
    if (copied.bytes !== file.size) throw new UnusableEntryError(file.path, `is ${copied.bytes} bytes, expected ${file.size}`);
    const hash = hasher?.digest();
    if (hash !== undefined && hash !== file.hash) throw new UnusableEntryError(file.path, `does not match its content hash (${hash}, expected ${file.hash}): its bytes changed after the entry was written`);
  });
  if (method === 'reflink') bytes += content.files[0]?.size ?? 0;
  return { method, files: content.files.length, bytes, seconds: (performance.now() - started) / 1000, hashSeconds };
}

/** Reads every file of `content` under `dir` and checks it; the first problem, or none. */
export async function checkFiles(dir: string, content: Pick<EntryContent, 'files'>): Promise<{ problem?: UnusableEntryError; stats: CopyStats }> {
  const started = performance.now();
  let hashSeconds = 0;
  let bytes = 0;
  let problem: UnusableEntryError | undefined;
  await inParallel(content.files, async (file, buffer) => {
    if (problem) return;
    const hasher = await contentHasher();
    try {
      const read = await readFileThrough(join(dir, file.path), buffer, hasher);
      hashSeconds += read.hashSeconds;
      bytes += read.bytes;
      if (read.bytes !== file.size) problem ??= new UnusableEntryError(file.path, `is ${read.bytes} bytes, expected ${file.size}`);
      else if (hasher.digest() !== file.hash) problem ??= new UnusableEntryError(file.path, 'does not match its content hash: its bytes changed after the entry was written');
    } catch (error) {
      problem ??= error instanceof UnusableEntryError ? error : sourceError(error, file.path);
    }
  });
  const stats: CopyStats = { method: 'read', files: content.files.length, bytes, seconds: (performance.now() - started) / 1000, hashSeconds };
  return problem ? { problem, stats } : { stats };
}

/** Clones the first file to learn whether the filesystem can; `read` when it cannot. */
async function tryClone(from: string, to: string, first: EntryFile | undefined, clone: (from: string, to: string) => Promise<void>): Promise<CopyMethod> {
  if (!first) return 'read';
  try {
    await clone(join(from, first.path), join(to, first.path));
    return 'reflink';
  } catch (error) {
    // The source missing is the entry's problem, not the filesystem's.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw sourceError(error, first.path);
    return 'read';
  }
}

/** Clones one file by sharing its blocks; throws where the filesystem cannot. */
export function reflink(from: string, to: string): Promise<void> {
  return copyFile(from, to, constants.COPYFILE_FICLONE_FORCE);
}

/** The tree under `root`: its files (size and hash unknown yet) and directories, parents first. */
async function walk(root: string, skipAtRoot: ReadonlySet<string>): Promise<{ files: Omit<EntryFile, 'hash' | 'size'>[]; dirs: EntryDir[] }> {
  const files: Omit<EntryFile, 'hash' | 'size'>[] = [];
  const dirs: EntryDir[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).split('\\').join('/');
      if (dir === root && skipAtRoot.has(entry.name)) continue;
      if (entry.isDirectory()) {
        dirs.push({ path: rel, mode: await modeOf(path) });
        await visit(path);
      } else if (entry.isFile()) {
        const mode = await modeOf(path);
        files.push({ path: rel, ...(mode !== 0o600 ? { mode } : {}) });
      } else {
        throw new Error(`${path} is not a regular file or directory; a cache entry holds only those`);
      }
    }
  };
  dirs.push({ path: '', mode: await modeOf(root) });
  await visit(root);
  return { files: files.sort(byPath), dirs: dirs.sort(byPath) };
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o7777;
}

/** Makes `to` and the directories below it, parents first, with their recorded modes. */
async function makeDirs(to: string, dirs: readonly EntryDir[]): Promise<void> {
  const root = dirs.find((dir) => dir.path === '');
  await mkdir(to, { recursive: true, mode: root?.mode ?? 0o700 });
  for (const dir of [...dirs].sort(byPath)) if (dir.path !== '') await mkdir(join(to, dir.path), { mode: dir.mode });
}

/** Copies one file, feeding every chunk read to `hasher` before it is written. */
async function copyFileThrough(fromRoot: string, toRoot: string, file: Pick<EntryFile, 'path' | 'mode'>, buffer: Buffer, hasher: ContentHasher | null): Promise<{ bytes: number; hashSeconds: number }> {
  const source = await open(join(fromRoot, file.path), 'r').catch((error: unknown) => {
    throw sourceError(error, file.path);
  });
  try {
    const target = await open(join(toRoot, file.path), 'wx', file.mode ?? 0o600);
    try {
      let bytes = 0;
      let hashSeconds = 0;
      for (;;) {
        const { bytesRead } = await source.read(buffer, 0, buffer.length, null).catch((error: unknown) => {
          throw sourceError(error, file.path);
        });
        if (bytesRead === 0) break;
        const chunk = buffer.subarray(0, bytesRead);
        if (hasher) {
          const mark = performance.now();
          hasher.update(chunk);
          hashSeconds += (performance.now() - mark) / 1000;
        }
        await writeAll(target, chunk);
        bytes += bytesRead;
      }
      return { bytes, hashSeconds };
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

async function readFileThrough(path: string, buffer: Buffer, hasher: ContentHasher): Promise<{ bytes: number; hashSeconds: number }> {
  const source = await open(path, 'r');
  try {
    let bytes = 0;
    let hashSeconds = 0;
    for (;;) {
      const { bytesRead } = await source.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const mark = performance.now();
      hasher.update(buffer.subarray(0, bytesRead));
      hashSeconds += (performance.now() - mark) / 1000;
      bytes += bytesRead;
    }
    return { bytes, hashSeconds };
  } finally {
    await source.close();
  }
}

async function writeAll(target: FileHandle, chunk: Buffer): Promise<void> {
  for (let offset = 0; offset < chunk.length; ) {
    const { bytesWritten } = await target.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/** A failure reading an entry's file: the entry is unusable (the file is gone, or unreadable). */
function sourceError(error: unknown, file: string): UnusableEntryError {
  const code = (error as NodeJS.ErrnoException).code;
  return new UnusableEntryError(file, code === 'ENOENT' ? 'is missing' : `cannot be read (${(error as Error).message})`, { cause: error });
}

/** Runs `body` over `items`, PARALLEL at a time, each runner with its own read buffer; the first failure stops them all. */
async function inParallel<T>(items: readonly T[], body: (item: T, buffer: Buffer) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  // Settled, not raced: no runner may still be writing when the caller removes what was copied.
  const runs = await Promise.allSettled(
    Array.from({ length: Math.min(PARALLEL, items.length) }, async () => {
      const buffer = Buffer.allocUnsafe(CHUNK);
      try {
        while (!failed && next < items.length) await body(items[next++] as T, buffer);
      } catch (error) {
        failed = true;
        throw error;
      }
    }),
  );
  const failure = runs.find((run): run is PromiseRejectedResult => run.status === 'rejected');
  if (failure) throw failure.reason;
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
