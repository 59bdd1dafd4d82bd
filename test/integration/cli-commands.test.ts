/**
 * The daily-tool side of the CLI, end to end on real PostgreSQL: `verify` as a table and as JSON
 * (and failing, naming the check, on a tampered farm: exit 2, apart from exit 1 for an error), the farm in the CLI's own embedded cluster
 * found without a URL, progress lines and `--quiet`, `--help` with examples for every command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import type pg from 'pg';
import { connectClient, queryOnce } from '../../src/db/client.js';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { defaultCacheDir } from '../../src/host/cache-dir.js';
import { runCli } from '../support/cli.js';

let server: EmbeddedServer;
let admin: pg.Client;

interface VerifyJson {
  database: string;
  pass: boolean;
  checks: { name: string; label: string; result: 'PASS' | 'FAIL' | 'SKIP'; worst: { batchNumber: string } | null }[];
}

const lastLine = (stdout: string): string => stdout.trim().split('\n').at(-1) as string;

async function tamper(database: string, statement: string): Promise<void> {
  await admin.query(`CREATE DATABASE ${database} TEMPLATE cli_farm`);
  await queryOnce(server.url(database), statement);
}

beforeAll(async () => {
  server = await startEmbedded({ root: join(defaultCacheDir(), 'embedded') });
  admin = await connectClient(server.url('postgres'));
  await admin.query('CREATE DATABASE cli_farm');
});

afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

describe('aquaseed seed: progress and output modes', () => {
  it('prints a progress line per phase on stderr when not on a terminal, and one JSON object last', async () => {
    // --no-cache: another file's logical snapshot of single-batch would turn this into a restore.
    const result = await runCli(['seed', 'single-batch', '--database-url', server.url('cli_farm'), '--no-cache', '--json']);
    expect(result.code).toBe(0);
    const progress = result.stderr.trim().split('\n');
    expect(progress.every((line) => /^\[aquaseed\] single-batch: [a-z+]+( \d+% \(\d+\/\d+ batches[^)]*| \()[\d.]+ s\)$/.test(line))).toBe(true);
    expect(progress.map((line) => /^\[aquaseed\] single-batch: ([a-z+]+)/.exec(line)?.[1])).toEqual(
      expect.arrayContaining(['plan', 'server', 'prepare', 'generate+load', 'keys+index', 'publish']),
    );
    expect(result.stderr).toMatch(/^\[aquaseed\] single-batch: generate\+load 0% \(0\/1 batches/m);
    const summary = JSON.parse(lastLine(result.stdout)) as { rows: number; database: string; seconds: { wall: number } };
    expect(summary).toMatchObject({ database: 'cli_farm' });
    expect(summary.rows).toBeGreaterThan(400_000);
    expect(summary.seconds.wall).toBeGreaterThan(0);
  });

  it('shows a restore, not a generation, when a logical snapshot of the preset is cached', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-cli-restore-'));
    await chmod(cacheDir, 0o755);
    try {
      await admin.query('CREATE DATABASE cli_snapshotted');
      await admin.query('CREATE DATABASE cli_restored');
      const first = await runCli(['seed', 'tiny', '--database-url', server.url('cli_snapshotted'), '--cache-dir', cacheDir]);
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/^\[aquaseed\] tiny: generate\+load /m);
      const second = await runCli(['seed', 'tiny', '--database-url', server.url('cli_restored'), '--cache-dir', cacheDir]);
      expect(second.code).toBe(0);
      const phases = second.stderr.trim().split('\n').map((line) => /^\[aquaseed\] tiny: ([a-z+]+)/.exec(line)?.[1]);
      expect(phases).toContain('restore');
      expect(phases).not.toContain('generate+load');
      expect(second.stdout).toMatch(/^ {2}phases {3}server [\d.]+ s · restore\+COPY [\d.]+ s · /m);
      expect(first.stdout).toMatch(/^ {2}phases {3}server [\d.]+ s · generate\+COPY [\d.]+ s · /m);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  it('prints nothing but errors with --quiet', async () => {
    const quiet = await runCli(['seed', 'single-batch', '--database-url', server.url('cli_farm'), '--quiet']);
    expect(quiet).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
    const failing = await runCli(['seed', 'no-such-farm', '--quiet']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/^aquaseed \[AQUASEED_UNKNOWN_PRESET\]: unknown preset "no-such-farm"/);
  });

  it('accepts only the known providers', async () => {
    const result = await runCli(['seed', 'tiny', '--provider', 'docker']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^aquaseed \[AQUASEED_INVALID_OPTION\]: option '--provider <provider>' argument 'docker' is invalid\. Allowed choices are embedded, external, testcontainers, auto\.\n {2}fix: /,
    );
  });
});

describe('aquaseed verify', () => {
  it('prints every check as a table and exits 0 on a healthy farm', async () => {
    const result = await runCli(['verify', '--database-url', server.url('cli_farm')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Checks of database cli_farm:\n┌/);
    expect(result.stdout).toMatch(/│ check\s+│ value\s+│ expected\s+│ result │ worst batch\s+│/);
    expect(result.stdout).toMatch(/│ survival\s+│\s+8\d\.\d %\s+│\s+83\.0-87\.0 % │ PASS\s+│ FAR-2023-001 \(8\d\.\d %\)\s+│/);
    expect(result.stdout).toMatch(/│ container conflicts\s+│\s+0 │\s+0 │ PASS/);
    expect(result.stdout.trim()).toMatch(/All 12 checks passed in [\d.]+ s\.$/);
  });

  it('gives one JSON object with every check', async () => {
    const result = await runCli(['verify', '--database-url', server.url('cli_farm'), '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(lastLine(result.stdout)) as VerifyJson;
    expect(report).toMatchObject({ database: 'cli_farm', pass: true });
    expect(report.checks).toHaveLength(12);
    expect(report.checks.every((check) => check.result === 'PASS')).toBe(true);
  });

  it('fails with exit code 2, naming survival and the batch, when harvest counts are tampered with', async () => {
    await tamper('cli_tampered_harvest', 'UPDATE harvest_harvestlot SET unit_count = floor(unit_count * 0.9)');
    const result = await runCli(['verify', '--database-url', server.url('cli_tampered_harvest')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/│ survival\s+│\s+7\d\.\d %\s+│\s+83\.0-87\.0 % │ FAIL\s+│ FAR-2023-001/);
    expect(result.stdout).toMatch(/^FAIL survival:\n {2}batch FAR-2023-001: survival 7\d\.\d % is outside 83\.0-87\.0 %$/m);
    expect(result.stdout.trim()).toMatch(/\d+ of 12 checks failed: .*survival/);
    const jsonRun = await runCli(['verify', '--database-url', server.url('cli_tampered_harvest'), '--json']);
    expect(jsonRun.code).toBe(2);
    const json = JSON.parse(lastLine(jsonRun.stdout)) as VerifyJson;
    expect(json.pass).toBe(false);
    expect(json.checks.find((check) => check.name === 'survival')).toMatchObject({ result: 'FAIL', worst: { batchNumber: 'FAR-2023-001' } });
  });

  it('fails, naming container conflicts, when an assignment overlaps another in the same tank', async () => {
    await tamper(
      'cli_tampered_conflict',
      `INSERT INTO batch_batchcontainerassignment (id, population_count, biomass_kg, assignment_date, is_active, notes, created_at, updated_at,
                                                   batch_id, container_id, lifecycle_stage_id, avg_weight_g, departure_date, last_weighing_date)
       SELECT (SELECT max(id) + 1 FROM batch_batchcontainerassignment), population_count, biomass_kg, assignment_date + 5, is_active, notes,
              created_at, updated_at, batch_id, container_id, lifecycle_stage_id, avg_weight_g, departure_date, last_weighing_date
       FROM batch_batchcontainerassignment WHERE departure_date IS NOT NULL ORDER BY id LIMIT 1`,
    );
    const result = await runCli(['verify', '--database-url', server.url('cli_tampered_conflict')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/│ container conflicts\s+│\s+1 │\s+0 │ FAIL\s+│ FAR-2023-001/);
    expect(result.stdout).toMatch(/^FAIL container conflicts:$/m);
    expect(result.stdout).toMatch(/overlaps another assignment of the same batch/);
    expect(result.stdout.trim()).toMatch(/checks failed: .*container conflicts/);
  });

  it('says which database cannot be reached, with exit code 1 (an error, not a failed check)', async () => {
    const result = await runCli(['verify', '--database-url', 'postgres://u:secret@127.0.0.1:1/farm']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^aquaseed \[AQUASEED_DATABASE_UNREACHABLE\]: cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\)\n {2}fix: /);
    const json = await runCli(['verify', '--database-url', 'postgres://u:secret@127.0.0.1:1/farm', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: 'AQUASEED_DATABASE_UNREACHABLE', message: 'cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED)', fix: expect.stringMatching(/^start the server/) },
    });
  });
});

describe('the CLI embedded cluster', () => {
  it('verifies and reports the farm `seed` left there, without a URL', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-cli-default-'));
    // As root, PostgreSQL runs as `postgres`, which must reach the cluster under it (else aquaseed
    // makes a stand-in root in the temp directory, which outlives this test).
    await chmod(cacheDir, 0o755);
    try {
      const empty = await runCli(['verify', '--cache-dir', cacheDir]);
      expect(empty.code).toBe(1);
      expect(empty.stderr).toMatch(/^aquaseed \[AQUASEED_NOT_SEEDED\]: the embedded cluster in .+ holds no aquaseed farm\n {2}fix: seed one first/);

      expect((await runCli(['seed', 'tiny', '--cache-dir', cacheDir, '--quiet'])).code).toBe(0);
      const verified = await runCli(['verify', '--cache-dir', cacheDir, '--json']);
      expect(verified.code).toBe(0);
      expect(JSON.parse(lastLine(verified.stdout))).toMatchObject({ database: 'aquaseed_tiny', pass: true });

      const output = join(cacheDir, 'farm.html');
      const report = await runCli(['report', '--cache-dir', cacheDir, '-o', output]);
      expect(report.code).toBe(0);
      expect(report.stdout).toMatch(/^Wrote .+farm\.html: \d+ charts \(\d+ without data\), 12 checks \(all passed\) for database aquaseed_tiny\.$/m);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('aquaseed --help', () => {
  const commands = ['seed', 'up', 'plan', 'key', 'warm', 'verify', 'report', 'wipe', 'cache', 'cache ls', 'cache prune', 'cache serve'];
  it.each(commands)('%s --help shows usage and examples', async (command) => {
    const result = await runCli([...command.split(' '), '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: aquaseed /);
    expect(result.stdout).toMatch(/\nExamples?( \([^)]*\))?:\n {2}\$ npx aquaseed /);
  });

  it('ends quietly when its reader has gone (`aquaseed warm --help | head -1`): exit 0, nothing on stderr', async () => {
    const result = await runCli(['warm', '--help'], {}, (child) => child.stdout?.destroy());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('lists every command', async () => {
    const result = await runCli(['--help']);
    for (const command of ['seed', 'up', 'plan', 'key', 'warm', 'verify', 'report', 'wipe', 'cache']) {
      expect(result.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    }
  });
});
