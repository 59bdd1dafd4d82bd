/**
 * The snapshot cache: one entry per (cache key, PostgreSQL major), holding a stopped embedded
 * cluster's data directory with the seeded farm, indexes and statistics included, and a manifest.
 * Entries are written to a temporary directory and renamed into place, so an entry either exists
 * whole or not at all; before use it is verified (every file present at its recorded size), and a
 * corrupt or partial one is evicted with a warning, never served.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { copyTree } from '../host/copy-tree.js';
import { ownedName, ownerAlive, ownerOfName } from '../host/process-owner.js';
import { diskFullError } from './disk-full.js';
import { sweepLocks } from './lock.js';

export const SNAPSHOT_FORMAT = 1;

/**
 * physical: a stopped embedded cluster's data directory (restored by copying it and starting a
 * server: no load, no index builds). logical: one binary COPY file per table, restorable into any
 * PostgreSQL of that major version (restored by COPY and the usual key and index builds).
 */
export type SnapshotKind = 'physical' | 'logical';

export interface SnapshotManifest {
  format: number;
  kind: SnapshotKind;
  key: string;
  pgMajor: number;
  preset: string;
  database: string;
  packageVersion: string;
  engineVersion: number;
  schemaVersion: number;
  rowCounts: Record<string, number>;
  totalRows: number;
  /** Every file of the entry's data with its size: what verification checks. */
  files: { path: string; size: number }[];
}

export type SnapshotIdentity = Omit<SnapshotManifest, 'files' | 'format' | 'kind'>;

export interface Snapshot {
  dir: string;
  dataDir: string;
  manifest: SnapshotManifest;
}

/** The prefix of an entry being written (`.partial-<pid>-<start>-<random>-<key>`). */
export const PARTIAL = '.partial-';

/** Files of a running or crashed cluster that must not travel with a snapshot. */
const TRANSIENT = new Set(['postmaster.pid', 'postmaster.opts', 'aquaseed-owner.json']);

export class SnapshotStore {
  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void = (message) => process.emitWarning(message, 'AquaseedWarning'),
  ) {}

  entryDir(key: string, pgMajor: number, kind: SnapshotKind = 'physical'): string {
    return join(this.dir, `${key}-pg${pgMajor}${kind === 'logical' ? '-logical' : ''}`);
  }

  lockPath(key: string, pgMajor: number, kind: SnapshotKind = 'physical'): string {
    return `${this.entryDir(key, pgMajor, kind)}.lock`;
  }

  /** The verified entry for the key, or null; a corrupt entry is evicted. */
  async find(key: string, pgMajor: number, kind: SnapshotKind = 'physical'): Promise<Snapshot | null> {
    const dir = this.entryDir(key, pgMajor, kind);
    let manifest: SnapshotManifest;
    try {
      manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as SnapshotManifest;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !(await exists(dir))) return null;
      return this.evict(dir, `its manifest is unreadable (${(error as Error).message})`);
    }
    if (manifest.format !== SNAPSHOT_FORMAT || manifest.key !== key || manifest.pgMajor !== pgMajor || manifest.kind !== kind) {
      return this.evict(dir, 'its manifest does not match the key');
    }
    const dataDir = join(dir, 'data');
    for (const file of manifest.files) {
      const size = await stat(join(dataDir, file.path)).then((s) => s.size, () => -1);
      if (size !== file.size) {
        return this.evict(dir, `${file.path} is ${size < 0 ? 'missing' : `${size} bytes, expected ${file.size}`}`);
      }
    }
    return { dir, dataDir, manifest };
  }

  /**
   * Copies a stopped cluster's data directory into a new entry, atomically. If another process
   * published the same key meanwhile, its entry is kept and ours discarded.
   */
  publish(
    sourceDataDir: string,
    identity: SnapshotIdentity,
    copy: (from: string, to: string) => Promise<void> = copyDataDir,
  ): Promise<Snapshot> {
    return this.publishWith('physical', identity, (dataDir) => copy(sourceDataDir, dataDir));
  }

  /** Writes a new entry whose `data/` directory `fill` produces; atomic like `publish`. */
  async publishWith(kind: SnapshotKind, identity: SnapshotIdentity, fill: (dataDir: string) => Promise<void>): Promise<Snapshot> {
    await mkdir(this.dir, { recursive: true }).catch((error: unknown) => {
      throw diskFullError(error, this.dir, 'the cache directory');
    });
    // Named after its writer: the next command removes it if that process was killed (prune below).
    const staging = join(this.dir, `${ownedName(PARTIAL)}-${identity.key.slice(0, 12)}`);
    try {
      const dataDir = join(staging, 'data');
      await fill(dataDir);
      const full: SnapshotManifest = { format: SNAPSHOT_FORMAT, kind, ...identity, files: await listFiles(dataDir) };
      await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(full, null, 2)}\n`);
      const target = this.entryDir(identity.key, identity.pgMajor, kind);
      try {
        await rename(staging, target);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      }
      const published = await this.find(identity.key, identity.pgMajor, kind);
      if (!published) throw new Error(`the snapshot for ${identity.key} vanished right after it was written`);
      return published;
    } catch (error) {
      throw diskFullError(error, this.dir, `the ${kind} snapshot of ${identity.preset}`);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /** Entries with their manifests (unverified), for `aquaseed cache ls`. */
  async list(): Promise<{ dir: string; manifest: SnapshotManifest | null; bytes: number }[]> {
    // No snapshot directory yet: no entries. A manifest that cannot be read is listed as unreadable.
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out = [];
    for (const name of names.filter((n) => /-pg\d+(-logical)?$/.test(n))) {
      const dir = join(this.dir, name);
      const manifest = await readFile(join(dir, 'manifest.json'), 'utf8').then((text) => JSON.parse(text) as SnapshotManifest, () => null);
      out.push({ dir, manifest, bytes: manifest ? manifest.files.reduce((sum, f) => sum + f.size, 0) : 0 });
    }
    return out;
  }

  /**
   * Removes partial writes whose writer is gone (a killed process; never one still writing, however
   * old), locks of dead processes, and, if asked, every entry.
   */
  async prune(options: { all?: boolean } = {}): Promise<string[]> {
    const removed = await sweepLocks(this.dir);
    for (const name of await readdir(this.dir).catch(() => [] as string[])) { // no directory: nothing to prune
      const path = join(this.dir, name);
      const writer = ownerOfName(name, PARTIAL);
      // A partial write of an older version names no writer: removed once an hour old.
      const abandoned = writer ? !ownerAlive(writer) : name.startsWith(PARTIAL) && Date.now() - (await stat(path).then((s) => s.mtimeMs, () => Date.now())) > 3_600_000;
      if (abandoned || (options.all && !name.endsWith('.lock') && !name.startsWith('.'))) {
        await rm(path, { recursive: true, force: true });
        removed.push(path);
      }
    }
    return removed;
  }

  private async evict(dir: string, why: string): Promise<null> {
    this.warn(`aquaseed: evicting the corrupt snapshot ${dir}: ${why}; it will be regenerated`);
    await rm(dir, { recursive: true, force: true });
    return null;
  }
}

async function copyDataDir(from: string, to: string): Promise<void> {
  await copyTree(from, to);
  await Promise.all([...TRANSIENT].map((name) => rm(join(to, name), { force: true })));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function listFiles(root: string, dir = root): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, path)));
    else if (entry.isFile()) out.push({ path: relative(root, path), size: (await stat(path)).size });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}
