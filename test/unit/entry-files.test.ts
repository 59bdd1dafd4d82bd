/**
 * A cache entry's files with their content hashes: written with a hash per file (directories and
 * modes kept), restored with every byte checked as it is copied; a changed byte, a changed size or
 * a missing file is named, and the entry evicted. A reflink restore reads nothing, so a stale
 * verified mark makes it check the entry instead.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFiles, copyHashing, copyVerified, UnusableEntryError } from '../../src/cache/entry-files.js';
import { contentHasher } from '../../src/host/content-hash.js';
import { SnapshotStore, type Snapshot } from '../../src/cache/snapshot-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aquaseed-entry-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A small cluster-like tree: nested and empty directories, a big file, a pid file to leave out. */
async function makeSource(): Promise<string> {
  const source = join(dir, 'source');
  await mkdir(join(source, 'base', '5'), { recursive: true, mode: 0o700 });
  await mkdir(join(source, 'pg_notify'), { mode: 0o700 });
  await writeFile(join(source, 'PG_VERSION'), '18\n', { mode: 0o600 });
  await writeFile(join(source, 'postmaster.pid'), '123\n');
  const big = Buffer.alloc(3 * (1 << 20) + 17);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
  await writeFile(join(source, 'base', '5', '1259'), big, { mode: 0o600 });
  await writeFile(join(source, 'base', '5', 'readonly'), 'x', { mode: 0o400 });
  return source;
}

async function flipByte(path: string, at: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, at);
  } finally {
    await handle.close();
  }
}

describe('copyHashing and copyVerified', () => {
  it('records every file with its size and hash, keeps empty directories and modes, leaves out what it is told to', async () => {
    const source = await makeSource();
    const written = await copyHashing(source, join(dir, 'entry'), new Set(['postmaster.pid']));
    expect(written.files.map((file) => file.path)).toEqual(['PG_VERSION', 'base/5/1259', 'base/5/readonly']);
    expect(written.dirs.map((d) => d.path)).toEqual(['', 'base', 'base/5', 'pg_notify']);
    const hasher = await contentHasher();
    hasher.update(await readFile(join(source, 'base', '5', '1259')));
    expect(written.files[1]).toEqual({ path: 'base/5/1259', size: 3 * (1 << 20) + 17, hash: hasher.digest() });
    expect(written.files[2]?.mode).toBe(0o400);
    expect(written.stats).toMatchObject({ method: 'read', files: 3 });

    const restored = join(dir, 'restored');
    const stats = await copyVerified(join(dir, 'entry'), restored, written, { method: 'read' });
    expect(stats).toMatchObject({ method: 'read', files: 3, bytes: 3 * (1 << 20) + 17 + 3 + 1 });
    expect(stats.hashSeconds).toBeGreaterThan(0);
    // Buffer.equals: a deep toEqual over 3 MB takes most of a minute.
    expect((await readFile(join(restored, 'base', '5', '1259'))).equals(await readFile(join(source, 'base', '5', '1259')))).toBe(true);
    expect(await readdir(join(restored, 'pg_notify'))).toEqual([]);
    expect((await stat(join(restored, 'base', '5', 'readonly'))).mode & 0o777).toBe(0o400);
    expect((await stat(restored)).mode & 0o777).toBe(0o700);
  });

  it('names the file whose byte changed (size unchanged), whose size changed, or that is missing', async () => {
    const source = await makeSource();
    const entry = join(dir, 'entry');
    const written = await copyHashing(source, entry, new Set(['postmaster.pid']));
    await flipByte(join(entry, 'base', '5', '1259'), 2 * (1 << 20) + 5);
    await expect(copyVerified(entry, join(dir, 'r1'), written, { method: 'read' })).rejects.toThrow(
      expect.objectContaining({ name: 'UnusableEntryError', file: 'base/5/1259', message: expect.stringMatching(/^base\/5\/1259 does not match its content hash/) }),
    );
    expect((await checkFiles(entry, written)).problem?.file).toBe('base/5/1259');

    await writeFile(join(entry, 'PG_VERSION'), '18\n\n');
    expect((await checkFiles(entry, { files: written.files.slice(0, 1) })).problem?.message).toBe('PG_VERSION is 4 bytes, expected 3');
    await rm(join(entry, 'PG_VERSION'));
    await expect(copyVerified(entry, join(dir, 'r2'), { ...written, files: written.files.slice(0, 1) }, { method: 'read' })).rejects.toThrow('PG_VERSION is missing');
  });

  it('with verify: false copies without hashing (what the bench compares against)', async () => {
    const source = await makeSource();
    const written = await copyHashing(source, join(dir, 'entry'), new Set(['postmaster.pid']));
    const stats = await copyVerified(join(dir, 'entry'), join(dir, 'plain'), written, { method: 'read', verify: false });
    expect(stats.hashSeconds).toBe(0);
  });
});

describe('SnapshotStore restores', () => {
  const identity = { key: 'e'.repeat(64), pgMajor: 18, preset: 'tiny', database: 'aquaseed_tiny', packageVersion: '0', engineVersion: 1, schemaVersion: 1, rowCounts: {}, totalRows: 0 };

  async function publish(warnings: string[]): Promise<{ store: SnapshotStore; snapshot: Snapshot }> {
    const store = new SnapshotStore(join(dir, 'snapshots'), (message) => warnings.push(message));
    return { store, snapshot: await store.publish(await makeSource(), identity) };
  }

  it('evicts an entry whose bytes changed, warning with the file, and marks a good one as checked', async () => {
    const warnings: string[] = [];
    const { store, snapshot } = await publish(warnings);
    expect((await store.verifiedMark(snapshot.dir))?.by).toBe('write');
    await store.restore(snapshot, join(dir, 'run1'), { method: 'read' });
    expect((await store.verifiedMark(snapshot.dir))?.by).toBe('restore');

    await flipByte(join(snapshot.dataDir, 'base', '5', '1259'), 1000);
    await expect(store.restore(snapshot, join(dir, 'run2'), { method: 'read' })).rejects.toBeInstanceOf(UnusableEntryError);
    expect(warnings).toEqual([expect.stringMatching(/^aquaseed: evicting the corrupt snapshot .*: base\/5\/1259 does not match its content hash .*; it will be regenerated$/)]);
    expect(await store.find(identity.key, 18)).toBeNull();
    expect((await readdir(store.dir)).filter((name) => !name.startsWith('.evicted-'))).toEqual([]);
  });

  it('a reflink restore reads nothing while the mark is fresh, and checks the entry when it is stale', async () => {
    const warnings: string[] = [];
    const { store, snapshot } = await publish(warnings);
    const cloned: string[] = [];
    // Stands in for a copy-on-write clone: the bytes arrive without passing through the hasher.
    const cloneFile = async (from: string, to: string): Promise<void> => {
      cloned.push(from);
      await copyFile(from, to);
    };
    const fresh = await store.restore(snapshot, join(dir, 'run1'), { cloneFile });
    expect(fresh).toMatchObject({ method: 'reflink', hashSeconds: 0 });
    expect(cloned).toHaveLength(3);

    await flipByte(join(snapshot.dataDir, 'base', '5', '1259'), 1000);
    // A fresh mark: the clone is served unchecked (that is what the mark's age bounds).
    await store.restore(snapshot, join(dir, 'run2'), { cloneFile });
    expect(warnings).toEqual([]);
    // A stale mark: the entry is read and checked, found changed, evicted.
    await writeFile(join(snapshot.dir, 'verified.json'), JSON.stringify({ at: '2020-01-01T00:00:00.000Z', by: 'write' }));
    await expect(store.restore(snapshot, join(dir, 'run3'), { cloneFile })).rejects.toThrow(/base\/5\/1259 does not match its content hash/);
    expect(warnings).toHaveLength(1);
    expect(await store.find(identity.key, 18)).toBeNull();
  });

  it('an eviction judged on one entry leaves a newer entry of the same key alone', async () => {
    const warnings: string[] = [];
    const { store, snapshot } = await publish(warnings);
    await rm(snapshot.dir, { recursive: true });
    const newer = await store.publish(join(dir, 'source'), identity);
    await store.evict(snapshot, 'judged on the old entry');
    expect(warnings).toEqual([]);
    expect((await store.find(identity.key, 18))?.manifest.id).toBe(newer.manifest.id);
  });

  it('evicts an entry of an older format (no hashes) instead of serving it', async () => {
    const warnings: string[] = [];
    const { store, snapshot } = await publish(warnings);
    const manifest = JSON.parse(await readFile(join(snapshot.dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(snapshot.dir, 'manifest.json'), JSON.stringify({ ...manifest, format: 1, hash: undefined }));
    expect(await store.find(identity.key, 18)).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/written by another version of aquaseed \(format 1, hash none\)/)]);
  });
});
