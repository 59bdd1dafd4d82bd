/**
 * The `app` fixture as a Playwright suite meets it, in a nested run (test/runners/app-playwright
 * .config.ts, through the built entry points) whose failing tests are on purpose:
 * - `slot` isolation: after a failure Playwright replaces the worker, and the next test of the
 *   slot still sees what the chain wrote through the app;
 * - an app that dies mid-test fails that test saying so, with the app's last output, and the next
 *   test gets a new app;
 * - keepFailed leaves an app running on the kept database, named in the failure; `cache prune`
 *   stops it;
 * - a reset runs with the app's pool connected, one connection left inside an open transaction;
 * - farmTest's `app` in a nested Vitest run;
 * - no app process is left when the run ends (but the kept one, until the prune).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/host/package-root.js';
import { groupMembers } from '../../src/host/process-group.js';
import { runCli } from '../support/cli.js';

const root = packageRoot();
let dir: string;
let run: { code: number; output: string };
let report: JsonReport;
let pids: Map<string, number>;
let runnerEnv: NodeJS.ProcessEnv;

interface JsonSpec {
  title: string;
  tests: { projectName: string; results: { status: string; workerIndex: number; errors: { message?: string }[]; attachments: { name: string; body?: string }[] }[] }[];
}
interface JsonSuite {
  specs: JsonSpec[];
  suites?: JsonSuite[];
}
interface JsonReport {
  suites: JsonSuite[];
}

function specs(suites: JsonSuite[]): JsonSpec[] {
  return suites.flatMap((suite) => [...suite.specs, ...specs(suite.suites ?? [])]);
}

function result(title: string) {
  const spec = specs(report.suites).find((candidate) => candidate.title === title);
  expect(spec, `a test titled ${title}`).toBeDefined();
  return spec!.tests[0]!.results[0]!;
}

beforeAll(async () => {
  expect(existsSync(join(root, 'dist/fixtures/playwright.js')), 'npm run build first: the run uses the built entry points').toBe(true);
  dir = await mkdtemp(join(tmpdir(), 'aquaseed-app-runner-'));
  // As root, PostgreSQL runs as `postgres`, which must reach the cluster under the cache directory.
  await chmod(dir, 0o755);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('VITEST') && key !== 'AQUASEED_TEMPLATES') env[key] = value;
  Object.assign(env, {
    AQUASEED_CACHE_DIR: join(dir, 'cache'),
    AQUASEED_RUNNER_OUTPUT: join(dir, 'test-results'),
    AQUASEED_RUNNER_JSON: join(dir, 'report.json'),
    APP_PIDS_FILE: join(dir, 'pids.txt'),
    PLAYWRIGHT_TRANSFORM_CACHE_DIR: join(dir, 'playwright-transform-cache'),
    CI: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  });
  delete env.AQUASEED_KEEP_FAILED;
  runnerEnv = env;
  run = await new Promise((done) => {
    execFile(process.execPath, [join(root, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'test/runners/app-playwright.config.ts'], { cwd: root, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}\n${stderr}` });
    });
  });
  report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as JsonReport;
  pids = new Map((await readFile(join(dir, 'pids.txt'), 'utf8')).trim().split('\n').map((line) => line.split(' ') as [string, string]).map(([what, pid]) => [what, Number(pid)]));
}, 600_000);

afterAll(async () => {
  if (dir) {
    await runCli(['cache', 'prune', '--cache-dir', join(dir, 'cache')]);
    await rm(dir, { recursive: true, force: true });
  }
});

describe('the app fixture in a Playwright run', () => {
  it('fails the three tests meant to fail, and only them', () => {
    expect(run.code, run.output).toBe(1);
    const failed = specs(report.suites).filter((spec) => (spec.tests[0]!.results[0]?.status ?? 'not run') !== 'passed').map((spec) => spec.title);
    expect(failed.sort(), run.output).toEqual(['fails after the app wrote (kept, with its app)', 'fails on purpose (Playwright replaces the worker)', 'the app dies during this test'].sort());
  });

  it("slot: the worker after a failure sees what the chain wrote through the app", () => {
    const after = result("the next worker on the slot sees the chain's rows");
    expect(after.status, JSON.stringify(after.errors)).toBe('passed');
    expect(after.workerIndex).not.toBe(result('the chain writes through the app').workerIndex);
  });

  it("reset: the app's connection left in an open transaction is ended, the next test sees the farm as seeded", () => {
    expect(result('the app leaves a transaction open').status).toBe('passed');
    const after = result('the next test sees the farm as seeded, and the app still writes');
    expect(after.status, JSON.stringify(after.errors)).toBe('passed');
    expect(run.output).toMatch(/aquaseed: ended 1 session\(s\) on \S+ left idle inside a transaction/);
  });

  it('an app that dies mid-test fails that test with its exit and last output; the next test gets a new app', () => {
    const died = result('the app dies during this test');
    const message = died.errors.map((error) => error.message ?? '').join('\n');
    expect(message).toContain('AQUASEED_APP_EXITED');
    expect(message).toMatch(/exit(ed with)? code 7/);
    expect(message).toContain('dying: the fish ran out');
    expect(result('the next test gets a new app').status).toBe('passed');
    expect(pids.get('died-2')).not.toBe(pids.get('died-1'));
  });

  it('keepFailed leaves an app on the kept database, named beside it, until cache prune stops it', async () => {
    const kept = result('fails after the app wrote (kept, with its app)');
    const note = kept.attachments.find((attachment) => attachment.name === 'aquaseed kept database');
    expect(note, JSON.stringify(kept.attachments.map((a) => a.name))).toBeDefined();
    const body = Buffer.from(note!.body ?? '', 'base64').toString('utf8');
    const appUrl = /the app on it is left running at (http:\/\/\S+)/.exec(body)?.[1];
    expect(appUrl, body).toBeDefined();
    expect(kept.attachments.map((attachment) => attachment.name)).toContain('app output');
    // The run is over: the kept app still answers.
    expect(await (await fetch(`${appUrl}/health`)).text()).toBe('ok');
    const ls = await runCli(['cache', 'ls', '--cache-dir', join(dir, 'cache')]);
    expect(ls.stdout).toContain(`app    ${appUrl}`);
    const prune = await runCli(['cache', 'prune', '--cache-dir', join(dir, 'cache')]);
    expect(prune.code, prune.stderr).toBe(0);
    expect(prune.stdout).toContain(`and its app at ${appUrl}`);
    await expect(fetch(`${appUrl}/health`)).rejects.toThrow();
  });

  it("Vitest: farmTest's app runs on the file's farm for all its tests, and reset puts back what it wrote", async () => {
    const vitest = await new Promise<{ code: number; output: string }>((done) => {
      execFile(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '-c', 'test/runners/vitest-app.config.ts'], { cwd: root, env: runnerEnv, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}\n${stderr}` });
      });
    });
    expect(vitest.code, vitest.output).toBe(0);
    expect(vitest.output).toMatch(/Tests\s+2 passed/);
  });

  it('leaves no app process of the run behind', () => {
    expect(pids.size).toBeGreaterThanOrEqual(8);
    for (const [what, pid] of pids) expect(groupMembers(pid), `${what}'s process group ${pid}`).toEqual([]);
  });
});
