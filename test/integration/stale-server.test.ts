/**
 * A killed `aquaseed seed` (SIGKILL: no handler runs) leaves its embedded server running with no
 * one to stop it. The next command stops it (or, for `up`, adopts it and says so), and once that
 * command ends no postgres is left running that no live process owns.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBinaries } from '../../src/provision/embedded-binaries.js';
import { runCli, whileServing } from '../support/cli.js';
import { postgresProcessesUnder } from '../support/postgres-cluster.js';
import { embeddedCluster, whenSeedCopies } from '../support/mid-load.js';

let cacheDir: string;
let clusterDir: string;

beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-stale-'));
  // As root PostgreSQL runs as `postgres`, which must reach the cluster under this directory.
  await chmod(cacheDir, 0o755);
  clusterDir = join(cacheDir, 'embedded', `pg${(await embeddedBinaries()).major}`, 'default');
});

afterEach(async () => {
  for (const pid of postgresProcessesUnder(cacheDir)) process.kill(pid, 'SIGKILL');
  await rm(cacheDir, { recursive: true, force: true });
});

/** `aquaseed seed tiny` killed with SIGKILL while it COPYs: its server is left running. */
async function killSeedMidLoad(): Promise<number[]> {
  let sawCopy: Promise<boolean> = Promise.resolve(false);
  const killed = await runCli(['seed', 'tiny', '--cache-dir', cacheDir, '--quiet'], {}, (child) => {
    sawCopy = whenSeedCopies(child, embeddedCluster(clusterDir), () => child.kill('SIGKILL'));
  });
  expect(await sawCopy).toBe(true);
  expect(killed.signal).toBe('SIGKILL');
  const orphans = postgresProcessesUnder(cacheDir);
  expect(orphans.length).toBeGreaterThan(0);
  return orphans;
}

describe('an embedded server whose aquaseed was killed', () => {
  it('is stopped by the next command, which then seeds on a server of its own and leaves none running', async () => {
    const orphans = await killSeedMidLoad();
    const next = await runCli(['seed', 'tiny', '--cache-dir', cacheDir]);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/^aquaseed: stopped the embedded server on port \d+ \(.*\) that a killed aquaseed process \(pid \d+\) had left running$/m);
    for (const pid of orphans) expect(postgresProcessesUnder(cacheDir)).not.toContain(pid);
    expect(postgresProcessesUnder(cacheDir)).toEqual([]);
  });

  it('is stopped by a command that only reads the farm (verify)', async () => {
    await killSeedMidLoad();
    const verify = await runCli(['verify', '--cache-dir', cacheDir]);
    // The killed seed published nothing: there is no farm to verify, and no server left either.
    expect(verify.stderr).toMatch(/^aquaseed: stopped the embedded server on port \d+/m);
    expect(verify.stderr).toMatch(/holds no aquaseed farm/);
    expect(postgresProcessesUnder(cacheDir)).toEqual([]);
  });

  it('is adopted by `aquaseed up`, which says so, serves the farm and stops it on Ctrl-C', async () => {
    const orphans = await killSeedMidLoad();
    let served!: Promise<{ value: { batches: unknown; serving: number[] } }>;
    const up = await runCli(['up', 'tiny', '--cache-dir', cacheDir], {}, (child) => {
      served = whileServing(child, async (client) => ({
        batches: (await client.query('SELECT count(*)::int AS n FROM batch_batch')).rows[0],
        serving: postgresProcessesUnder(cacheDir),
      }));
    });
    const { batches, serving } = (await served).value;
    expect(up.code).toBe(0);
    expect(up.stderr).toMatch(/^aquaseed: adopted the embedded server on port \d+ that a killed aquaseed process \(pid \d+\) left running; it stops when this command ends$/m);
    expect(batches).toEqual({ n: 4 });
    // The server that served the farm was the one the killed seed started.
    expect(serving).toEqual(expect.arrayContaining(orphans));
    expect(postgresProcessesUnder(cacheDir)).toEqual([]);
  });
});
