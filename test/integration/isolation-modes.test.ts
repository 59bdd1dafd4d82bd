/**
 * The runners' `reset` isolation and `keepFailed`, as a suite meets them: a Vitest and a
 * Playwright run (test/runners, through the built entry points) whose apps write through their own
 * connections and whose failing tests keep their databases; the kept databases outlive the runs,
 * are listed, served and pruned by the CLI.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryOnce } from '../../src/db/client.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { packageRoot } from '../../src/host/package-root.js';
import { siblingUrl } from '../../src/db/clone.js';
import { runCli } from '../support/cli.js';

const root = packageRoot();
let cacheDir: string;

interface Run {
  code: number;
  output: string;
}

/** A runner in a process of its own, with this test's cache and none of this Vitest worker's variables. */
function runRunner(args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('VITEST') && key !== 'AQUASEED_TEMPLATES') env[key] = value;
  Object.assign(env, { AQUASEED_CACHE_DIR: cacheDir, AQUASEED_RUNNER_OUTPUT: join(cacheDir, 'test-results'), CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' });
  // Playwright's transform cache would otherwise stay in the temp directory after the run.
  env.PLAYWRIGHT_TRANSFORM_CACHE_DIR = join(cacheDir, 'playwright-transform-cache');
  delete env.AQUASEED_KEEP_FAILED;
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd: root, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}\n${stderr}` });
    });
  });
}

interface KeptJson {
  database: string;
  isolation: string;
  state: string;
  test: string;
}

async function keptDatabases(): Promise<KeptJson[]> {
  const ls = await runCli(['cache', 'ls', '--json', '--cache-dir', cacheDir]);
  expect(ls.code, ls.stderr).toBe(0);
  return (JSON.parse(ls.stdout) as { keptDatabases: KeptJson[] }).keptDatabases;
}

async function notesIn(url: string): Promise<string[]> {
  return (await queryOnce<{ notes: string }>(url, 'SELECT DISTINCT notes FROM batch_batch ORDER BY 1')).rows.map((row) => row.notes);
}

beforeAll(async () => {
  expect(existsSync(join(root, 'dist/fixtures/vitest.js')), 'npm run build first: the runs use the built entry points').toBe(true);
  cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-isolation-'));
  // As root, PostgreSQL runs as `postgres`, which must reach the clusters under it.
  await chmod(cacheDir, 0o755);
});

afterAll(async () => {
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

// A whole Vitest or Playwright run (seed, workers, browsers) inside one test: on a busy machine it
// outlasts the suite's 120 s default, so its bound is the hook timeout's.
const NESTED_RUN_BOUND = 300_000;

describe('reset isolation and kept failures in real runs', () => {
  let resetKept = '';
  let cloneKept = '';

  it('Vitest: every test of a reset file starts as seeded, files share the worker copy, and failed tests keep their databases', async () => {
    const run = await runRunner([join(root, 'node_modules/vitest/vitest.mjs'), 'run', '-c', 'test/runners/vitest.config.ts']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/Tests\s+2 failed \| 6 passed \(8\)/);
    resetKept = /aquaseed: kept this failed test's database as (aquaseed_tiny_kept_[0-9a-f]{8}), as the test left it:\n\s+postgres:\/\/\S+\/\1\n/.exec(run.output)?.[1] ?? '';
    cloneKept = /aquaseed: keeps this file's database, renamed (aquaseed_tiny_kept_[0-9a-f]{8}) when the file ends/.exec(run.output)?.[1] ?? '';
    expect(resetKept, run.output).not.toBe('');
    expect(cloneKept, run.output).not.toBe('');

    // The run is over and its server stopped; the kept databases are listed, in a kept cluster.
    expect(await keptDatabases()).toEqual([
      expect.objectContaining({ database: [resetKept, cloneKept].sort()[0], state: 'stopped' }),
      expect.objectContaining({ database: [resetKept, cloneKept].sort()[1], state: 'stopped' }),
    ]);
    const runs = await readdir(join(cacheDir, 'embedded', 'pg18', 'runs')).catch(() => []);
    expect(runs).toEqual([]);
  }, NESTED_RUN_BOUND);

  it('serves the kept cluster after the run: each kept database holds what its failed test wrote', async () => {
    let serving: ChildProcess | undefined;
    let output = '';
    const served = runCli(['cache', 'serve', resetKept, '--cache-dir', cacheDir], {}, (child) => {
      serving = child;
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    });
    // Starting the kept cluster takes seconds; the bound turns a serve that never gets there into a failure.
    const url = await vi.waitFor(
      () => {
        expect(output, 'aquaseed cache serve to print the psql line of the kept database').toMatch(/psql "([^"]+)"/);
        return /psql "([^"]+)"/.exec(output)![1]!;
      },
      { timeout: 100_000, interval: 50 },
    );
    try {
      expect(await notesIn(url)).toEqual(['kept by a failed reset test']);
      expect(await notesIn(siblingUrl(url, cloneKept))).toEqual(['kept by a failed clone test']);
    } finally {
      serving!.kill('SIGINT');
    }
    const result = await served;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Stopped.');
  });

  it('Playwright: a worker reset copy is as seeded after an app wrote, and a failed test keeps its database, named in the failure', async () => {
    const run = await runRunner([join(root, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'test/runners/playwright.config.ts']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/1 failed[\s\S]*3 passed/);
    const kept = /attachment #1: aquaseed kept database \(text\/plain\)[^\n]*\n\s+kept this failed test's database as (aquaseed_tiny_kept_[0-9a-f]{8})/.exec(run.output)?.[1];
    expect(kept, run.output).toBeDefined();
    expect((await keptDatabases()).map((entry) => entry.database).sort()).toEqual([kept, resetKept, cloneKept].sort());
  }, NESTED_RUN_BOUND);

  it('prunes every kept database and its cluster', async () => {
    const prune = await runCli(['cache', 'prune', '--cache-dir', cacheDir]);
    expect(prune.code, prune.stderr).toBe(0);
    expect(prune.stdout).toMatch(/^removed 3: /);
    expect(await keptDatabases()).toEqual([]);
    const clusters = await readdir(join(cacheDir, 'embedded', 'pg18'));
    expect(clusters.filter((name) => name.startsWith('kept-'))).toEqual([]);
  });
});
