/**
 * Cache entries checked by content: one byte changed inside a file of an entry (its size
 * unchanged, so no size check sees it), the next seed warns naming the file, evicts the entry,
 * regenerates, and serves exactly the farm it first generated (table checksums); a logical entry
 * whose data PostgreSQL refuses is evicted too; `aquaseed cache verify` finds a changed entry,
 * evicts it and exits 2.
 */
import { describe, expect, it, vi } from 'vitest';
import { chmod, mkdtemp, open, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedFarm, type Farm } from '../../src/index.js';
import { tableChecksums } from '../../src/db/checksum.js';
import { withClient } from '../../src/db/client.js';
import { SnapshotStore, type SnapshotManifest } from '../../src/cache/snapshot-store.js';
import { contentHasher } from '../../src/host/content-hash.js';
import { runCli } from '../support/cli.js';

function checksums(farm: Farm): Promise<unknown> {
  return withClient(farm.url, (client) => tableChecksums(client));
}

async function withCacheDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'aquaseed-cache-content-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach the clusters under it
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Flips one byte in the middle of the entry's largest file matching `pattern`; returns that file. */
async function flipByteInLargest(entryDir: string, manifest: SnapshotManifest, pattern: RegExp): Promise<string> {
  const victim = manifest.files.filter((file) => pattern.test(file.path)).sort((a, b) => b.size - a.size)[0]!;
  const path = join(entryDir, 'data', victim.path);
  const sizeBefore = (await stat(path)).size;
  const handle = await open(path, 'r+');
  try {
    const at = Math.floor(victim.size / 2);
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0x5a;
    await handle.write(byte, 0, 1, at);
  } finally {
    await handle.close();
  }
  expect((await stat(path)).size, 'the size is unchanged').toBe(sizeBefore);
  return victim.path;
}

/** Collects aquaseed's warnings while `body` runs (process.emitWarning reaches listeners a tick later). */
async function withWarnings<T>(body: (warnings: string[]) => Promise<T>): Promise<T> {
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning.message);
  process.on('warning', onWarning);
  try {
    return await body(warnings);
  } finally {
    process.off('warning', onWarning);
  }
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// Three seeds per test, on a machine other suites share.
describe('a byte changed inside a cache entry, its size unchanged', { timeout: 600_000 }, () => {
  it('physical: the next seed warns naming the file, evicts, regenerates and serves the right farm', async () => {
    await withCacheDir(async (cacheDir) => {
      const first = await seedFarm('tiny', { cache: { dir: cacheDir } });
      const generated = await checksums(first);
      await first.close();
      const store = new SnapshotStore(join(cacheDir, 'snapshots'));
      const [entry] = await store.list();
      const file = await flipByteInLargest(entry!.dir, entry!.manifest!, /^base\//);

      await withWarnings(async (warnings) => {
        const second = await seedFarm('tiny', { cache: { dir: cacheDir } });
        try {
          expect(second.summary.restored, 'regenerated, not restored').toBeFalsy();
          expect(await checksums(second)).toEqual(generated);
        } finally {
          await second.close();
        }
        await vi.waitFor(
          () => expect(warnings.join('\n')).toMatch(new RegExp(`evicting the corrupt snapshot .*: ${escape(file)} does not match its content hash`)),
          { timeout: 5_000, interval: 10 },
        );
      });
      // The regenerated entry is whole, and the next seed restores it.
      const third = await seedFarm('tiny', { cache: { dir: cacheDir } });
      try {
        expect(third.summary.restored).toBe(true);
        expect(await checksums(third)).toEqual(generated);
      } finally {
        await third.close();
      }
    });
  });

  it('logical: the next seed into a URL warns naming the file, evicts, regenerates; data PostgreSQL refuses is evicted too', async () => {
    await withCacheDir(async (cacheDir) => {
      const host = await seedFarm('tiny', { cache: false });
      try {
        await withClient(host.url, async (admin) => {
          for (const name of ['content_a', 'content_b', 'content_c']) await admin.query(`CREATE DATABASE ${name}`);
        });
        const urlOf = (db: string): string => host.url.replace(/\/[^/]+$/, `/${db}`);
        const first = await seedFarm('tiny', { cache: { dir: cacheDir }, server: { url: urlOf('content_a') } });
        const generated = await checksums(first);
        await first.close();
        const store = new SnapshotStore(join(cacheDir, 'snapshots'));
        const [entry] = await store.list();
        expect(entry!.manifest!.kind).toBe('logical');
        const file = await flipByteInLargest(entry!.dir, entry!.manifest!, /\.(copy|txt)$/);

        await withWarnings(async (warnings) => {
          const second = await seedFarm('tiny', { cache: { dir: cacheDir }, server: { url: urlOf('content_b') } });
          try {
            expect(second.summary.restored, 'regenerated, not restored').toBeFalsy();
            expect(await checksums(second)).toEqual(generated);
          } finally {
            await second.close();
          }
          await vi.waitFor(
            () => expect(warnings.join('\n')).toMatch(new RegExp(`evicting the corrupt snapshot .*: ${escape(file)} does not match its content hash`)),
            { timeout: 5_000, interval: 10 },
          );
        });

        // An entry whose hashes match but whose data PostgreSQL cannot load (a file cut short,
        // its manifest rewritten to match): the load error evicts it as well.
        const [fresh] = await store.list();
        const manifest = fresh!.manifest!;
        const cut = manifest.files.filter((f) => /\.(copy|txt)$/.test(f.path)).sort((a, b) => b.size - a.size)[0]!;
        const cutPath = join(fresh!.dir, 'data', cut.path);
        await truncate(cutPath, Math.floor(cut.size / 2));
        const hasher = await contentHasher();
        hasher.update(await readFile(cutPath));
        const rewritten = { ...manifest, files: manifest.files.map((f) => (f.path === cut.path ? { ...f, size: Math.floor(cut.size / 2), hash: hasher.digest() } : f)) };
        await writeFile(join(fresh!.dir, 'manifest.json'), JSON.stringify(rewritten));
        await withWarnings(async (warnings) => {
          const third = await seedFarm('tiny', { cache: { dir: cacheDir }, server: { url: urlOf('content_c') } });
          try {
            expect(third.summary.restored).toBeFalsy();
            expect(await checksums(third)).toEqual(generated);
          } finally {
            await third.close();
          }
          await vi.waitFor(() => expect(warnings.join('\n')).toMatch(/evicting the corrupt snapshot .*: PostgreSQL refused its data/), { timeout: 5_000, interval: 10 });
        });
      } finally {
        await host.close();
      }
    });
  });

  it('aquaseed cache verify: every entry read and checked; a changed one named, evicted, exit 2', async () => {
    await withCacheDir(async (cacheDir) => {
      await (await seedFarm('tiny', { cache: { dir: cacheDir } })).close();
      const clean = await runCli(['cache', 'verify', '--cache-dir', cacheDir]);
      expect(clean.code, clean.stderr).toBe(0);
      expect(clean.stdout).toMatch(/^ok {6}tiny .* physical .* files, .* MB in .* s$/m);
      expect(clean.stdout).toContain('All 1 entries match their content hashes.');

      const store = new SnapshotStore(join(cacheDir, 'snapshots'));
      const [entry] = await store.list();
      expect(entry!.verified?.by).toBe('check');
      const file = await flipByteInLargest(entry!.dir, entry!.manifest!, /^base\//);
      const failed = await runCli(['cache', 'verify', '--cache-dir', cacheDir, '--json']);
      expect(failed.code, failed.stderr).toBe(2);
      const report = JSON.parse(failed.stdout.trim().split('\n').at(-1)!) as { pass: boolean; entries: { ok: boolean; problem?: string }[] };
      expect(report.pass).toBe(false);
      expect(report.entries).toEqual([expect.objectContaining({ ok: false, problem: expect.stringMatching(new RegExp(`^${escape(file)} does not match its content hash`)) })]);
      expect(await store.list()).toEqual([]);
    });
  });
});
