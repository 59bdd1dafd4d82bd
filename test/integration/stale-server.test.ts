/**
 * A killed `aquaseed seed` (SIGKILL: no handler runs) does not leave its embedded server running:
 * the server's watchdog stops it within seconds. Should the watchdog be killed too, the next
 * command stops the server and says so in one line (or, for `up`, adopts it and says so), and once
 * that command ends no postgres is left running that no live process uses.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBinaries } from '../../src/provision/embedded-binaries.js';
import { runCli, whileServing } from '../support/cli.js';
import { aquaseedProcessesUnder, postgresProcessesUnder, watchdogsUnder } from '../support/postgres-cluster.js';
import { embeddedCluster, whenSeedCopies } from '../support/mid-load.js';
import { leftoversIn } from '../support/leftovers.js';

let cacheDir: string;
let clusterDir: string;

/** A watchdog stops its server within a second or two; ten on a loaded machine. */
const WATCHDOG_WAIT = { timeout: 10_000, interval: 50 };

beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-stale-'));
  // As root PostgreSQL runs as `postgres`, which must reach the cluster under this directory.
  await chmod(cacheDir, 0o755);
  clusterDir = join(cacheDir, 'embedded', `pg${(await embeddedBinaries()).major}`, 'default');
});

afterEach(async () => {
  for (const pid of aquaseedProcessesUnder(cacheDir)) process.kill(pid, 'SIGKILL');
  await rm(cacheDir, { recursive: true, force: true });
});

/** `aquaseed seed tiny` killed with SIGKILL while it COPYs; with `alsoWatchdog`, its watchdog first. Returns the server's pids. */
async function killSeedMidLoad(alsoWatchdog: boolean): Promise<number[]> {
  let sawCopy: Promise<boolean> = Promise.resolve(false);
  let servers: number[] = [];
  const killed = await runCli(['seed', 'tiny', '--cache-dir', cacheDir, '--quiet'], {}, (child) => {
    sawCopy = whenSeedCopies(child, embeddedCluster(clusterDir), () => {
      servers = postgresProcessesUnder(cacheDir);
      if (alsoWatchdog) for (const pid of watchdogsUnder(cacheDir)) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
    });
  });
  expect(await sawCopy).toBe(true);
  expect(killed.signal).toBe('SIGKILL');
  expect(servers.length).toBeGreaterThan(0);
  return servers;
}

describe('an embedded server whose aquaseed was killed', () => {
  it('is stopped by its watchdog within seconds; its lease goes, and the next seed succeeds, naming only the partial entry it removed', async () => {
    await killSeedMidLoad(false);
    await expect.poll(() => aquaseedProcessesUnder(cacheDir), WATCHDOG_WAIT).toEqual([]);
    const next = await runCli(['seed', 'tiny', '--cache-dir', cacheDir, '--json']);
    expect(next.code, next.stderr).toBe(0);
    // Nothing to say of the server: it was stopped already, and the key's lock is only taken over.
    // The one leftover is the cache entry the killed seed was writing while it loaded: removed, named.
    expect(next.stderr).not.toMatch(/stopped the embedded server/);
    const cleanups = next.stderr.split('\n').filter((line) => line.includes('cleaned up'));
    expect(cleanups.filter((line) => !/: removed a partial snapshot \(\d+ MB\)$/.test(line)), 'cleanups of anything else').toEqual([]);
    expect(aquaseedProcessesUnder(cacheDir)).toEqual([]);
    expect(await leftoversIn(cacheDir)).toEqual([]);
  });

  it('with its watchdog killed too: the next command stops the server, saying so in one line, then seeds', async () => {
    const orphans = await killSeedMidLoad(true);
    expect(postgresProcessesUnder(cacheDir)).toEqual(expect.arrayContaining(orphans));
    const next = await runCli(['seed', 'tiny', '--cache-dir', cacheDir]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(new RegExp(`^aquaseed: cleaned up after a killed aquaseed process \\(pid \\d+\\) in ${cacheDir}: stopped a server left running \\(port \\d+\\)[^\\n]*$`, 'm'));
    for (const pid of orphans) expect(postgresProcessesUnder(cacheDir)).not.toContain(pid);
    expect(aquaseedProcessesUnder(cacheDir)).toEqual([]);
    expect(await leftoversIn(cacheDir)).toEqual([]);
  });

  it('with its watchdog killed too: a command that only reads the farm (verify) stops it', async () => {
    await killSeedMidLoad(true);
    const verify = await runCli(['verify', '--cache-dir', cacheDir]);
    // The killed seed published nothing: there is no farm to verify, and no server left either.
    expect(verify.stderr).toMatch(/^aquaseed: cleaned up after a killed aquaseed process \(pid \d+\) in .*: stopped a server left running/m);
    expect(verify.stderr).toMatch(/holds no aquaseed farm/);
    expect(aquaseedProcessesUnder(cacheDir)).toEqual([]);
  });

  it('with its watchdog killed too: is adopted by `aquaseed up`, which says so, serves the farm and stops it on Ctrl-C', async () => {
    const orphans = await killSeedMidLoad(true);
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
    expect(aquaseedProcessesUnder(cacheDir)).toEqual([]);
  });
});
