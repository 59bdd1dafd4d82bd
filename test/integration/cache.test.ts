/**
 * The snapshot cache: a miss generates and writes an entry, a hit restores identical contents, a
 * corrupt entry is evicted and regenerated, concurrent requests generate once, and an interrupted
 * write leaves no entry.
 */
import { describe, expect, it, vi } from 'vitest';
import { chmod, mkdtemp, readdir, rm, truncate, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedFarm, type Farm } from '../../src/index.js';
import { tableChecksums } from '../../src/db/checksum.js';
import { withClient } from '../../src/db/client.js';
import { SnapshotStore } from '../../src/cache/snapshot-store.js';
import { copyMethodIn } from '../../src/cache/copy-method.js';

function checksums(farm: Farm): Promise<unknown> {
  return withClient(farm.url, (client) => tableChecksums(client));
}

async function withCacheDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'aquaseed-cache-test-'));
  // As root, PostgreSQL runs as `postgres`, which must reach the clusters under it (else aquaseed
  // makes a stand-in root in the temp directory, which outlives this test).
  await chmod(dir, 0o755);
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('snapshot cache', () => {
  it('generates on a miss, restores on a hit, with identical table contents', async () => {
    await withCacheDir(async (cacheDir) => {
      const first = await seedFarm({ preset: 'single-batch', cacheDir });
      const generated = await checksums(first);
      await first.close();
      expect(first.summary.restored).toBeFalsy();
      expect(first.summary.timings.snapshot).toBeGreaterThan(0);

      const second = await seedFarm({ preset: 'single-batch', cacheDir });
      try {
        expect(second.summary.restored).toBe(true);
        // The copy says how it ran: the cluster and the cache share the cache directory's filesystem.
        expect(second.summary.restoreCopy).toMatchObject({ method: await copyMethodIn(cacheDir) });
        expect(second.summary.restoreCopy?.megabytes).toBeGreaterThan(50);
        expect(second.key).toBe(first.key);
        expect(await checksums(second)).toEqual(generated);
        expect(second.summary.totalRows).toBe(first.summary.totalRows);
      } finally {
        await second.close();
      }
    });
  });

  it('evicts a corrupt entry with a warning and regenerates it', async () => {
    await withCacheDir(async (cacheDir) => {
      await (await seedFarm({ preset: 'single-batch', cacheDir })).close();
      const store = new SnapshotStore(join(cacheDir, 'snapshots'));
      const [entry] = await store.list();
      const victim = entry!.manifest!.files.find((file) => file.size > 8192)!;
      await truncate(join(entry!.dir, 'data', victim.path), 100);

      const warnings: string[] = [];
      const onWarning = (warning: Error): void => void warnings.push(warning.message);
      process.on('warning', onWarning);
      try {
        const farm = await seedFarm({ preset: 'single-batch', cacheDir });
        await farm.close();
        expect(farm.summary.restored).toBeFalsy();
        // process.emitWarning reaches its listeners on a later tick.
        await vi.waitFor(
          () =>
            expect(warnings.join('\n'), 'the eviction warning').toMatch(
              new RegExp(`evicting the corrupt snapshot .*${victim.path.replace(/[/\\]/g, '.')} is 100 bytes`),
            ),
          { timeout: 5_000, interval: 10 },
        );
        const fresh = await store.find(entry!.manifest!.key, entry!.manifest!.pgMajor);
        expect(fresh).not.toBeNull();
      } finally {
        process.off('warning', onWarning);
      }
    });
  });

  it('generates once when two requests for the same key arrive together', async () => {
    await withCacheDir(async (cacheDir) => {
      const farms = await Promise.all([seedFarm({ preset: 'single-batch', cacheDir }), seedFarm({ preset: 'single-batch', cacheDir })]);
      try {
        expect(farms.map((farm) => Boolean(farm.summary.restored)).sort()).toEqual([false, true]);
        expect(await checksums(farms[1]!)).toEqual(await checksums(farms[0]!));
      } finally {
        await Promise.all(farms.map((farm) => farm.close()));
      }
    });
  });

  it('restores a farm seeded into a URL from a logical snapshot, with identical contents', async () => {
    await withCacheDir(async (cacheDir) => {
      const host = await seedFarm({ preset: 'single-batch', cacheDir, cache: false });
      try {
        await withClient(host.url, async (admin) => {
          await admin.query('CREATE DATABASE logical_a');
          await admin.query('CREATE DATABASE logical_b');
        });
        const urlOf = (db: string): string => host.url.replace(/\/[^/]+$/, `/${db}`);
        const first = await seedFarm({ preset: 'single-batch', cacheDir, databaseUrl: urlOf('logical_a') });
        const generated = await checksums(first);
        await first.close();
        expect(first.summary.restored).toBeFalsy();
        const store = new SnapshotStore(join(cacheDir, 'snapshots'));
        expect((await store.list()).map((entry) => entry.manifest?.kind)).toEqual(['logical']);

        const second = await seedFarm({ preset: 'single-batch', cacheDir, databaseUrl: urlOf('logical_b') });
        try {
          expect(second.summary.restored).toBe(true);
          expect(second.summary.timings.generateLoad).toBeGreaterThan(0);
          expect(await checksums(second)).toEqual(generated);
        } finally {
          await second.close();
        }
      } finally {
        await host.close();
      }
    });
  });

  it('leaves no entry when a write is interrupted', async () => {
    await withCacheDir(async (cacheDir) => {
      const store = new SnapshotStore(join(cacheDir, 'snapshots'));
      const source = join(cacheDir, 'fake-cluster');
      await mkdir(source, { recursive: true });
      await writeFile(join(source, 'PG_VERSION'), '18\n');
      const manifest = {
        key: 'k'.repeat(64), pgMajor: 18, preset: 'x', database: 'x', packageVersion: '0', engineVersion: 1, schemaVersion: 1,
        rowCounts: {}, totalRows: 0,
      };
      const failingCopy = async (_from: string, to: string): Promise<never> => {
        await mkdir(to, { recursive: true });
        await writeFile(join(to, 'PG_VERSION'), '18\n');
        throw new Error('disk full');
      };
      await expect(store.publish(source, manifest, failingCopy)).rejects.toThrow('disk full');
      expect(await store.find(manifest.key, 18)).toBeNull();
      expect(await readdir(join(cacheDir, 'snapshots'))).toEqual([]);

      // A writer killed outright leaves only a .partial- directory, which is never served.
      await mkdir(join(cacheDir, 'snapshots', `.partial-${'k'.repeat(12)}-dead`), { recursive: true });
      expect(await store.find(manifest.key, 18)).toBeNull();
    });
  });
});
