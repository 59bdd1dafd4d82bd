/**
 * The cache under stress: a disk that fills up while an entry is written publishes nothing and says
 * so (AQUASEED_DISK_FULL naming the directory), and many test workers asking for the same preset at
 * once generate it once. A corrupt entry (evicted, regenerated) is covered in cache.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedFarm } from '../../src/index.js';
import { SnapshotStore } from '../../src/cache/snapshot-store.js';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { defaultCacheDir } from '../../src/host/cache-dir.js';
import { queryOnce } from '../../src/db/client.js';
import { embeddedBinaries } from '../../src/provision/embedded-binaries.js';
import { packageRoot } from '../../src/host/package-root.js';
import { postgresProcessesUnder } from '../support/postgres-cluster.js';

/** A real small filesystem, so ENOSPC is the kernel's, not a simulation: needs root to mount. */
const smallDisk = await mkdtemp(join(tmpdir(), 'aquaseed-small-disk-'));
const mounted =
  process.getuid?.() === 0 && process.platform === 'linux' && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', smallDisk]).status === 0;
const NO_TMPFS = 'needs root and `mount -t tmpfs` to make a small filesystem; unavailable here';

afterAll(async () => {
  if (mounted) spawnSync('umount', [smallDisk]);
  await rm(smallDisk, { recursive: true, force: true });
});

describe.skipIf(!mounted)(`a full disk while a cache entry is written (${NO_TMPFS})`, () => {
  let server: EmbeddedServer;
  beforeAll(async () => {
    server = await startEmbedded({ root: join(defaultCacheDir(), 'embedded') });
    await queryOnce(server.url('postgres'), 'CREATE DATABASE disk_full_target');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a physical snapshot: foreseen, AQUASEED_DISK_FULL naming the directory, the size needed and the free space; no entry and no partial left', async () => {
    const source = await mkdtemp(join(tmpdir(), 'aquaseed-fake-cluster-'));
    try {
      await writeFile(join(source, 'PG_VERSION'), '18\n');
      await mkdir(join(source, 'base'));
      await writeFile(join(source, 'base', 'big'), Buffer.alloc(12 * 2 ** 20, 7));
      const store = new SnapshotStore(join(smallDisk, 'snapshots'));
      const identity = {
        key: 'd'.repeat(64), pgMajor: 18, preset: 'tiny', database: 'aquaseed_tiny', packageVersion: '0', engineVersion: 1, schemaVersion: 1,
        rowCounts: {}, totalRows: 0,
      };
      await expect(store.publish(source, identity)).rejects.toMatchObject({
        code: 'AQUASEED_DISK_FULL',
        message: expect.stringMatching(
          new RegExp(`^the physical snapshot of tiny needs about 13 MB and the device holding ${join(smallDisk, 'snapshots').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} has \\d+ MB free; nothing was written$`),
        ),
        fix: expect.stringMatching(/cache prune --all/),
      });
      expect(await readdir(join(smallDisk, 'snapshots'))).toEqual([]);
      expect(await store.find(identity.key, 18)).toBeNull();
    } finally {
      await rm(source, { recursive: true, force: true });
    }
  });

  it('seeding a URL with the cache on a full disk: a clear error, no entry, no lock; the next run without the cache succeeds', async () => {
    const url = server.url('disk_full_target');
    const cacheDir = join(smallDisk, 'cache');
    await expect(seedFarm({ preset: 'tiny', databaseUrl: url, cacheDir })).rejects.toMatchObject({
      code: 'AQUASEED_DISK_FULL',
      message: expect.stringContaining(`no space left on the device holding ${join(cacheDir, 'snapshots')} while writing the logical snapshot of tiny`),
    });
    expect(await readdir(join(cacheDir, 'snapshots'))).toEqual([]);

    const farm = await seedFarm({ preset: 'tiny', databaseUrl: url, cacheDir, cache: false });
    try {
      expect((await farm.db.selectFrom('batch_batch').select((eb) => eb.fn.countAll<number>().as('n')).execute())[0]?.n).toBe(4);
    } finally {
      await farm.close();
    }
  });
});

describe.skipIf(!mounted)(`a full disk under the embedded clusters (${NO_TMPFS})`, () => {
  it('initdb of the cluster template: AQUASEED_DISK_FULL naming the directory, nothing left running or half-written', async () => {
    const root = join(smallDisk, 'embedded');
    await expect(startEmbedded({ root })).rejects.toMatchObject({
      code: 'AQUASEED_DISK_FULL',
      message: expect.stringMatching(new RegExp(`^no space left on the device holding ${root}/pg\\d+ while writing the cluster template \\(initdb\\); no server was started$`)),
    });
    expect(postgresProcessesUnder(smallDisk)).toEqual([]);
    const { major } = await embeddedBinaries();
    expect((await readdir(join(root, `pg${major}`))).filter((name) => name !== 'runs')).toEqual([]);
  });
});

describe('many workers asking for the same preset at once', () => {
  it('4 processes on a fresh cache: one generates, three restore its snapshot, no server left', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-crowd-'));
    await chmod(cacheDir, 0o755);
    const entry = join(packageRoot(), 'dist', 'src', 'index.js');
    const script = `
      const { seedFarm } = await import(process.argv[1]);
      const farm = await seedFarm({ preset: 'tiny', cacheDir: process.argv[2] });
      const n = (await farm.db.selectFrom('batch_batch').select((eb) => eb.fn.countAll().as('n')).execute())[0].n;
      process.stdout.write(JSON.stringify({ restored: Boolean(farm.summary.restored), key: farm.key, batches: Number(n) }));
      await farm.close();
    `;
    const runOne = (): Promise<{ restored: boolean; key: string; batches: number }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, entry, cacheDir], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exited ${code}: ${err}`))));
      });
    try {
      const results = await Promise.all([runOne(), runOne(), runOne(), runOne()]);
      expect(results.map((r) => r.restored).sort()).toEqual([false, true, true, true]);
      expect(new Set(results.map((r) => r.key)).size).toBe(1);
      expect(results.map((r) => r.batches)).toEqual([4, 4, 4, 4]);
      const entries = (await readdir(join(cacheDir, 'snapshots'))).filter((name) => !name.startsWith('.'));
      expect(entries).toHaveLength(1);
      expect(postgresProcessesUnder(cacheDir)).toEqual([]);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
