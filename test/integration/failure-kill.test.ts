/**
 * kill -9 at each phase of a seed, then the next command: whatever the killed process left on disk
 * (half-made cluster template and its password file, half-written snapshot, half-copied cluster,
 * throwaway cluster, lock, lease) is gone, no server or watchdog of it runs, nothing was made in the
 * temp directory, and the next seed serves the right farm. The process is killed alone (SIGKILL to
 * its pid): what it had started (cp, initdb, the server) outlives it, and must be stopped too.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/host/package-root.js';
import { embeddedBinaries } from '../../src/provision/embedded-binaries.js';
import { runCli, type CliResult } from '../support/cli.js';
import { aquaseedProcessesUnder, postgresProcessesUnder } from '../support/postgres-cluster.js';
import { leftoversIn } from '../support/leftovers.js';
import { embeddedCluster, tryQuery, whenSeedCopies } from '../support/mid-load.js';

/** Each phase is reached within seconds, a minute on a loaded machine; a hang fails, naming the wait. */
const PHASE_WAIT = { timeout: 100_000, interval: 5 };
/** A watchdog stops a killed process's server within a second or two; ten on a loaded machine. */
const WATCHDOG_WAIT = { timeout: 10_000, interval: 50 };

let major: number;
/** The children's temp directory: nothing may be left in it. */
let privateTmp: string;
/** The reference farm: rows of tiny as a clean warm made them. */
let reference: { key: string; rows: number };
/** A cache holding tiny's physical entry (from the reference warm). */
let warmCache: string;

async function cacheDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `aquaseed-kill-${name}-`));
  // As root PostgreSQL runs as `postgres`, which must reach the clusters under it.
  await chmod(dir, 0o755);
  return dir;
}

function cli(args: string[], onStart?: (child: ChildProcess) => void): Promise<CliResult> {
  return runCli(args, { TMPDIR: privateTmp }, onStart);
}

/** Kills `child` (alone) once `ready()` says the phase is reached; resolves whether it got there before the process ended. */
function killWhen(child: ChildProcess, what: string, ready: () => boolean | Promise<boolean>): Promise<boolean> {
  return vi.waitFor(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if (await ready()) {
      child.kill('SIGKILL');
      return true;
    }
    throw new Error(`waited for pid ${child.pid} to reach ${what}`);
  }, PHASE_WAIT);
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** After a kill: no process of the cache's left (the watchdog's work), then the next command's sweep. */
async function expectCleanAfter(dir: string, next: CliResult): Promise<void> {
  expect(next.code, next.stderr).toBe(0);
  await expect.poll(() => aquaseedProcessesUnder(dir), WATCHDOG_WAIT).toEqual([]);
  expect(await leftoversIn(dir)).toEqual([]);
  expect(await readdir(privateTmp)).toEqual([]);
}

function seedJson(result: CliResult): { key: string; rows: number; source: string } {
  return JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as { key: string; rows: number; source: string };
}

/** seedFarm('tiny') in a process of its own, the way a test worker calls it; `then` runs with the farm. */
function seedFarmProcess(dir: string, then = ''): ChildProcess {
  const script = `
    const { seedFarm } = await import(process.argv[1]);
    const farm = await seedFarm({ preset: 'tiny', cacheDir: process.argv[2] });
    const n = (await farm.db.selectFrom('batch_batch').select((eb) => eb.fn.countAll().as('n')).execute())[0].n;
    process.stdout.write(JSON.stringify({ restored: Boolean(farm.summary.restored), key: farm.key, rows: farm.summary.totalRows, batches: Number(n) }) + '\\n');
    ${then}
    await farm.close();
  `;
  return spawn(process.execPath, ['--input-type=module', '-e', script, join(packageRoot(), 'dist', 'src', 'index.js'), dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: privateTmp, DATABASE_URL: '' },
  });
}

function outcome(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

beforeAll(async () => {
  expect(existsSync(join(packageRoot(), 'dist', 'src', 'cli', 'main.js')), 'npm run build first').toBe(true);
  major = (await embeddedBinaries()).major;
  privateTmp = await mkdtemp(join(tmpdir(), 'aquaseed-kill-tmp-'));
  await chmod(privateTmp, 0o755);
  warmCache = await cacheDir('warm');
  const warm = await cli(['warm', 'tiny', '--cache-dir', warmCache, '--json']);
  expect(warm.code, warm.stderr).toBe(0);
  const { presets } = JSON.parse(warm.stdout.trim().split('\n').at(-1) as string) as { presets: { key: string; rows: number }[] };
  reference = { key: presets[0]!.key, rows: presets[0]!.rows };
}, 300_000);

afterAll(async () => {
  await rm(warmCache, { recursive: true, force: true });
  await rm(privateTmp, { recursive: true, force: true });
});

describe('aquaseed seed killed with SIGKILL', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await cacheDir('seed');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('during the embedded server\'s first start (initdb of the template): the next seed removes the half-made template and its password file', async () => {
    const pg = join(dir, 'embedded', `pg${major}`);
    let killed: Promise<boolean> = Promise.resolve(false);
    let seen: string[] = [];
    let pid = 0;
    const result = await cli(['seed', 'tiny', '--cache-dir', dir, '--quiet'], (child) => {
      pid = child.pid ?? 0;
      killed = killWhen(child, 'initdb with its password file', () => {
        seen = names(pg).filter((name) => name.startsWith('template.init-'));
        return seen.some((name) => name.endsWith('.pw')) && seen.some((name) => !name.endsWith('.pw'));
      });
    });
    expect(await killed).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(seen.length).toBe(2);

    const next = await cli(['seed', 'tiny', '--cache-dir', dir, '--json']);
    expect(next.stderr).toMatch(
      new RegExp(`^aquaseed: cleaned up after a killed aquaseed process \\(pid ${pid}\\) in ${dir}: removed a half-made cluster template \\(\\d+ MB\\), a password file$`, 'm'),
    );
    await expectCleanAfter(dir, next);
    expect(seedJson(next)).toMatchObject({ key: reference.key, rows: reference.rows });
  });

  it('while it loads (COPY): its server is stopped by its watchdog, the next seed restores the right farm', async () => {
    let killed: Promise<boolean> = Promise.resolve(false);
    const result = await cli(['seed', 'tiny', '--cache-dir', dir, '--quiet'], (child) => {
      killed = whenSeedCopies(child, embeddedCluster(join(dir, 'embedded', `pg${major}`, 'default')), () => child.kill('SIGKILL'));
    });
    expect(await killed).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    await expect.poll(() => aquaseedProcessesUnder(dir), WATCHDOG_WAIT).toEqual([]);

    const next = await cli(['seed', 'tiny', '--cache-dir', dir, '--json']);
    await expectCleanAfter(dir, next);
    expect(seedJson(next)).toMatchObject({ key: reference.key, rows: reference.rows, source: 'restored' });
  });
});

describe('aquaseed warm killed with SIGKILL while it writes the snapshot', () => {
  // Two warms of tiny (the killed one and the next), each a generation: minutes under load.
  it('the next command removes the half-written entry (and its cp), the next warm generates the right farm', async () => {
    const dir = await cacheDir('snapshot');
    try {
      const snapshots = join(dir, 'snapshots');
      let killed: Promise<boolean> = Promise.resolve(false);
      let pid = 0;
      const result = await cli(['warm', 'tiny', '--cache-dir', dir, '--quiet'], (child) => {
        pid = child.pid ?? 0;
        killed = killWhen(child, 'a .partial- snapshot being written', () => names(snapshots).some((name) => name.startsWith('.partial-')));
      });
      expect(await killed).toBe(true);
      expect(result.signal).toBe('SIGKILL');

      const listed = await cli(['cache', 'ls', '--cache-dir', dir, '--json']);
      expect(listed.stderr).toMatch(new RegExp(`^aquaseed: cleaned up after a killed aquaseed process \\(pid ${pid}\\) in ${dir}: removed a partial snapshot \\(\\d+ MB\\)`, 'm'));
      await expectCleanAfter(dir, listed);
      const kinds = (JSON.parse(listed.stdout) as { items: { kind: string }[] }).items.map((item) => item.kind);
      expect(kinds).not.toContain('physical');

      const warm = await cli(['warm', 'tiny', '--cache-dir', dir, '--json']);
      await expectCleanAfter(dir, warm);
      expect(JSON.parse(warm.stdout.trim().split('\n').at(-1) as string)).toMatchObject({ presets: [{ state: 'generated', key: reference.key, rows: reference.rows }] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('a seedFarm process killed with SIGKILL', () => {
  it('while it restores a physical entry (copying it): the next command removes the half copy, the next restore serves the right farm', async () => {
    const runs = join(warmCache, 'embedded', `pg${major}`, 'runs');
    const child = seedFarmProcess(warmCache);
    const ended = outcome(child);
    expect(await killWhen(child, 'a copy of the physical entry under runs/', () => names(runs).some((name) => name.includes('.copy-')))).toBe(true);
    expect((await ended).signal).toBe('SIGKILL');

    const next = await cli(['cache', 'ls', '--cache-dir', warmCache]);
    expect(next.stderr).toMatch(new RegExp(`^aquaseed: cleaned up after a killed aquaseed process \\(pid ${child.pid}\\) in ${warmCache}: removed a half-copied cluster \\(\\d+ MB\\)$`, 'm'));
    await expectCleanAfter(warmCache, next);

    const again = await outcome(seedFarmProcess(warmCache));
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ restored: true, key: reference.key, rows: reference.rows, batches: 4 });
    expect(await leftoversIn(warmCache)).toEqual([]);
    expect(aquaseedProcessesUnder(warmCache)).toEqual([]);
  });

  it('while it clones the farm: its server is stopped and its throwaway cluster removed by its watchdog', async () => {
    const runs = join(warmCache, 'embedded', `pg${major}`, 'runs');
    // Clones until killed: one is always being made.
    const child = seedFarmProcess(warmCache, `for (;;) { const clone = await farm.clone(); await clone.close(); }`);
    const ended = outcome(child);
    expect(
      await killWhen(child, 'CREATE DATABASE … TEMPLATE of a clone', async () => {
        const run = names(runs).find((name) => !name.includes('.'));
        const server = run ? await embeddedCluster(join(runs, run))() : null;
        return server !== null && (await isCloning(server));
      }),
    ).toBe(true);
    expect((await ended).signal).toBe('SIGKILL');
    await expect.poll(() => aquaseedProcessesUnder(warmCache), WATCHDOG_WAIT).toEqual([]);
    // The watchdog removed the throwaway cluster itself: the next command has nothing to say.
    await expect.poll(() => names(runs), WATCHDOG_WAIT).toEqual([]);

    const next = await cli(['cache', 'ls', '--cache-dir', warmCache]);
    expect(next.stderr).toBe('');
    await expectCleanAfter(warmCache, next);
  });
});

describe('Vitest\'s main process killed with SIGKILL while a worker holds a farm', () => {
  it('the worker\'s embedded server is gone within 10 s (its watchdog watches the runner), and the next command finds nothing to clean', async () => {
    const dir = await cacheDir('vitest');
    const vitestTmp = await mkdtemp(join(tmpdir(), 'aquaseed-kill-vitest-tmp-'));
    await chmod(vitestTmp, 0o755);
    const held = join(vitestTmp, 'held.json');
    let worker = 0;
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('VITEST')) env[key] = value;
    Object.assign(env, { AQUASEED_CACHE_DIR: dir, HELD_FARM_FILE: held, TMPDIR: vitestTmp, DATABASE_URL: '', CI: '1', NO_COLOR: '1' });
    const main = spawn(process.execPath, [join(packageRoot(), 'node_modules', 'vitest', 'vitest.mjs'), 'run', '-c', 'test/runners/held/vitest.config.ts'], {
      cwd: packageRoot(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ended = outcome(main);
    try {
      const holder = await vi.waitFor(() => {
        if (main.exitCode !== null) throw new Error(`the Vitest run ended before its worker held a farm`);
        if (!existsSync(held)) throw new Error(`waited for the Vitest worker to seed tiny and write ${held}`);
        return JSON.parse(readFileSync(held, 'utf8')) as { worker: number; url: string };
      }, PHASE_WAIT);
      worker = holder.worker;
      expect(postgresProcessesUnder(dir).length).toBeGreaterThan(0);
      expect(await tryQuery(holder.url, 'SELECT count(*)::int AS n FROM batch_batch')).toEqual([{ n: 4 }]);

      main.kill('SIGKILL');
      expect((await ended).signal).toBe('SIGKILL');
      await expect.poll(() => aquaseedProcessesUnder(dir), WATCHDOG_WAIT).toEqual([]);

      const next = await cli(['cache', 'ls', '--cache-dir', dir]);
      expect(next.stderr).toBe('');
      expect(next.code, next.stderr).toBe(0);
      expect(await leftoversIn(dir)).toEqual([]);
      // The killed Vitest leaves its own temp directory there; nothing of aquaseed's may be.
      expect((await readdir(vitestTmp)).filter((name) => /aquaseed|^pg|\.pw$/.test(name))).toEqual([]);
    } finally {
      main.kill('SIGKILL');
      if (worker) {
        try {
          process.kill(worker, 'SIGKILL'); // the forked worker, if it outlived its runner
        } catch {
          // Gone with its runner.
        }
      }
      await rm(vitestTmp, { recursive: true, force: true });
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Whether a session of the server at `url` is creating a database (a clone). */
async function isCloning(url: string): Promise<boolean> {
  const rows = await tryQuery<{ n: number }>(url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query ILIKE 'CREATE DATABASE%' AND state = 'active'`);
  return rows !== null && (rows[0]?.n ?? 0) > 0;
}
