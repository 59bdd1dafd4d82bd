/**
 * The `aquaseed` command as users run it: bad input gets one clear line with its code, a fix and
 * exit code 1 with nothing of theirs touched (with --json also one {"error": …} object on stdout);
 * a good seed prints its summary and, with --json, one JSON object last.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import type pg from 'pg';
import { connectClient, queryOnce, withClient } from '../../src/db/client.js';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { defaultCacheDir } from '../../src/host/cache-dir.js';
import { runCli, whileServing } from '../support/cli.js';
import { whenSeedCopies } from '../support/mid-load.js';
import { aquaseedProcessesUnder } from '../support/postgres-cluster.js';
import { freePort } from '../../src/provision/free-port.js';
import { copyMethodIn } from '../../src/cache/copy-method.js';

let server: EmbeddedServer;
let admin: pg.Client;

beforeAll(async () => {
  server = await startEmbedded({ root: join(defaultCacheDir(), 'embedded') });
  admin = await connectClient(server.url('postgres'));
  await admin.query('CREATE DATABASE foreign_app');
  await admin.query('CREATE DATABASE empty_target');
  await queryOnce(server.url('foreign_app'), 'CREATE TABLE customers (id int PRIMARY KEY, name text); INSERT INTO customers VALUES (1, $$Ada$$)');
});

afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

/** A progress line (stderr is not a terminal here): `[aquaseed] tiny: generate+load 0% (0/1 batches, 1.2 s)`. */
const PROGRESS = /^\[aquaseed\] (\S+: )?[a-z+]+( \d+%)? \([^)]*[\d.]+ s\)$/;

/** stderr without the progress lines that precede a failure. */
function errorOutput(stderr: string): string {
  return stderr.split('\n').filter((line) => !PROGRESS.test(line)).join('\n');
}

function expectOneLineError(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  const lines = errorOutput(result.stderr).trim().split('\n');
  expect(lines[0]).toMatch(pattern);
  expect(lines[1]).toMatch(/^ {2}fix: /);
  expect(result.stderr).not.toMatch(/^\s+at /m); // no stack trace without --debug
}

describe('aquaseed seed: bad input', () => {
  it('names the known presets for an unknown one', async () => {
    const result = await runCli(['seed', 'no-such-farm']);
    expectOneLineError(result, /^aquaseed \[AQUASEED_UNKNOWN_PRESET\]: unknown preset "no-such-farm"$/);
    expect(result.stderr).toContain('single-batch');
  });

  it('says which server it cannot reach', async () => {
    const result = await runCli(['seed', 'single-batch', '--database-url', 'postgres://u:secret@127.0.0.1:1/farm']);
    expectOneLineError(result, /^aquaseed \[AQUASEED_DATABASE_UNREACHABLE\]: cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\)$/);
    expect(result.stderr).not.toContain('secret');
  });

  it('rejects a URL that is not PostgreSQL', async () => {
    const result = await runCli(['seed', 'single-batch', '--database-url', 'mysql://localhost/farm']);
    expectOneLineError(result, /^aquaseed \[AQUASEED_INVALID_OPTION\]: --database-url "mysql:\/\/localhost\/farm" is not a PostgreSQL URL \(protocol mysql:\)$/);
  });

  it('names a database that does not exist and how to create it', async () => {
    const result = await runCli(['seed', 'single-batch', '--database-url', server.url('no_such_db')]);
    expectOneLineError(result, /^aquaseed \[AQUASEED_DATABASE_MISSING\]: database "no_such_db" does not exist/);
    expect(result.stderr).toContain('createdb');
  });

  it('refuses a database holding other tables and leaves it untouched', async () => {
    const result = await runCli(['seed', 'single-batch', '--database-url', server.url('foreign_app')]);
    expectOneLineError(result, /^aquaseed \[AQUASEED_FOREIGN_DATABASE\]: database "foreign_app" already holds 1 table\(s\) aquaseed did not create \(customers\)/);
    await withClient(server.url('foreign_app'), async (foreign) => {
      const { rows } = await foreign.query(
        `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
      );
      expect(rows).toEqual([{ table_schema: 'public', table_name: 'customers' }]);
      expect((await foreign.query('SELECT name FROM customers')).rows).toEqual([{ name: 'Ada' }]);
    });
  });
});

interface ErrorJson {
  error: { code: string; message: string; fix: string };
}

/** The one JSON object a failing command prints on stdout under --json. */
function errorJson(stdout: string): ErrorJson {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] as string) as ErrorJson;
}

describe('every failure has a code, on stderr and under --json', () => {
  it('a command line commander refuses is AQUASEED_INVALID_OPTION, naming the option and the help to read', async () => {
    const workers = await runCli(['seed', 'tiny', '--workers', '0']);
    expectOneLineError(workers, /^aquaseed \[AQUASEED_INVALID_OPTION\]: --workers "0" is not a whole number from 1 to 64$/);
    expect(workers.stderr).toContain('fix: pass e.g. --workers 2');
    const unknown = await runCli(['cache', 'prune', '--everything']);
    expectOneLineError(unknown, /^aquaseed \[AQUASEED_INVALID_OPTION\]: unknown option '--everything'$/);
    expect(unknown.stderr).toContain('`aquaseed cache prune --help`');
    const command = await runCli(['seeed', 'tiny']);
    expectOneLineError(command, /^aquaseed \[AQUASEED_INVALID_OPTION\]: unknown command 'seeed' \(Did you mean seed\?\)$/);
  });

  it('prints exactly one {"error": {code, message, fix}} object on stdout under --json, and the two lines on stderr', async () => {
    const preset = await runCli(['seed', 'no-such-farm', '--json']);
    expect(preset.code).toBe(1);
    expect(errorJson(preset.stdout)).toEqual({
      error: { code: 'AQUASEED_UNKNOWN_PRESET', message: 'unknown preset "no-such-farm"', fix: expect.stringMatching(/^use one of: .*single-batch/) },
    });
    expect(errorOutput(preset.stderr).trim().split('\n')[0]).toBe('aquaseed [AQUASEED_UNKNOWN_PRESET]: unknown preset "no-such-farm"');

    const unreachable = await runCli(['seed', 'tiny', '--database-url', 'postgres://u:secret@127.0.0.1:1/farm', '--json', '--quiet']);
    expect(unreachable.code).toBe(1);
    expect(errorJson(unreachable.stdout).error).toMatchObject({ code: 'AQUASEED_DATABASE_UNREACHABLE', message: 'cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED)' });
    expect(unreachable.stdout).not.toContain('secret');

    const option = await runCli(['warm', 'tiny', '--provider', 'docker', '--json']);
    expect(option.code).toBe(1);
    expect(errorJson(option.stdout).error).toMatchObject({ code: 'AQUASEED_INVALID_OPTION', message: expect.stringContaining("argument 'docker' is invalid") });
  });

  it('gives a failure aquaseed did not foresee AQUASEED_INTERNAL, and a fix that asks for a report with --debug output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aquaseed-internal-'));
    try {
      // A directory that exists and a file that is not one passes the option check; /dev/full then
      // refuses the write (ENOSPC), which nothing in `plan` foresees.
      const output = '/dev/full';
      const result = await runCli(['plan', 'tiny', '-o', output]);
      expectOneLineError(result, /^aquaseed \[AQUASEED_INTERNAL\]: ENOSPC: no space left on device/);
      expect(result.stderr).toContain('fix: aquaseed did not expect this: run again with --debug and report it with that output');
      const debug = await runCli(['plan', 'tiny', '-o', output, '--debug']);
      expect(debug.code).toBe(1);
      expect(debug.stderr).toMatch(/^\s+at .*writeFileSync/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('aquaseed seed into a URL', () => {
  it('seeds an empty database, prints the summary and one JSON object last, and replaces its own farm on re-seed', async () => {
    const first = await runCli(['seed', 'single-batch', '--database-url', server.url('empty_target'), '--json']);
    // Not a terminal: stderr holds the plain progress lines, and nothing else.
    expect(first.stderr.trim().split('\n').every((line) => PROGRESS.test(line))).toBe(true);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Seeded single-batch into database empty_target \(external\) in /);
    expect(first.stdout).toMatch(/environmental_environmentalreading\s+[\d,]+/);
    const summary = JSON.parse(first.stdout.trim().split('\n').at(-1) as string) as { rows: number; key: string; rowCounts: Record<string, number> };
    expect(summary.rows).toBeGreaterThan(400_000);
    expect(summary.rowCounts.batch_batch).toBe(1);

    const second = await runCli(['seed', 'single-batch', '--database-url', server.url('empty_target'), '--json', '--quiet']);
    expect(second.code).toBe(0);
    expect(second.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(second.stdout).key).toBe(summary.key);
    await withClient(server.url('empty_target'), async (target) => {
      expect((await target.query('SELECT count(*)::int AS n FROM batch_batch')).rows).toEqual([{ n: 1 }]);
      const staging = await target.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'aquaseed_staging_%'`);
      expect(staging.rowCount).toBe(0);
    });
  });
});

describe('aquaseed up', () => {
  it('serves the farm at the printed URL until Ctrl-C, then stops the server', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-up-'));
    // As root, PostgreSQL runs as `postgres`, which must reach the cluster under it (else aquaseed
    // makes a stand-in root in the temp directory, which outlives this test).
    await chmod(cacheDir, 0o755);
    try {
      let served!: Promise<{ url: string; value: unknown }>;
      const result = await runCli(['up', 'single-batch', '--cache-dir', cacheDir], {}, (child) => {
        served = whileServing(child, async (client) => (await client.query('SELECT count(*)::int AS n FROM batch_batch')).rows[0]);
      });
      const { url, value: count } = await served;
      expect(result.code).toBe(0);
      expect(count).toEqual({ n: 1 });
      // The URL first, on a line of its own; the rows per table only with --verbose.
      expect(result.stdout.split('\n')[0]).toBe(url);
      expect(result.stdout).not.toContain('Rows per table');
      expect(result.stdout).toContain('Serving until Ctrl-C');
      expect(result.stdout).toContain(`psql "${url}"`);
      expect(result.stdout.trim().endsWith('Stopped.')).toBe(true);
      await expect(connectClient(url, { connectionTimeoutMillis: 2000 })).rejects.toThrow();
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('aquaseed up --port --quiet', () => {
  it('serves on the port asked for, prints the URL alone, and stops on SIGTERM leaving no process', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-up-port-'));
    await chmod(cacheDir, 0o755);
    try {
      const port = await freePort();
      let served!: Promise<{ url: string; value: unknown }>;
      const result = await runCli(['up', 'single-batch', '--port', String(port), '--quiet', '--cache-dir', cacheDir], {}, (child) => {
        served = whileServing(child, async (client) => (await client.query('SELECT count(*)::int AS n FROM batch_batch')).rows[0], {
          firstLine: true,
          stopWith: 'SIGTERM',
        });
      });
      const { url, value: count } = await served;
      expect(new URL(url).port).toBe(String(port));
      expect(count).toEqual({ n: 1 });
      // A clean stop on SIGTERM: exit 0, the URL was all of stdout, nothing on stderr.
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(`${url}\n`);
      expect(result.stderr).toBe('');
      expect(aquaseedProcessesUnder(cacheDir)).toEqual([]);
      await expect(connectClient(url, { connectionTimeoutMillis: 2000 })).rejects.toThrow();
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('an interrupted seed', () => {
  it('exits non-zero and leaves the target as it was, with no staging schema', async () => {
    await admin.query('CREATE DATABASE interrupted_target');
    // Interrupted once the seed is COPYing rows in, however long the machine takes to get there.
    let sawCopy: Promise<boolean> = Promise.resolve(false);
    const result = await runCli(['seed', 'single-batch', '--database-url', server.url('interrupted_target')], {}, (child) => {
      sawCopy = whenSeedCopies(child, server.url('postgres'), () => child.kill('SIGINT'));
    });
    expect(await sawCopy).toBe(true);
    expect(result.code).toBe(130);
    expect(errorOutput(result.stderr)).toMatch(/^aquaseed: interrupted \(SIGINT\): the seed stopped before it finished; nothing was published/);
    const { rows } = await queryOnce(
      server.url('interrupted_target'),
      `SELECT n.nspname, count(c.oid)::int AS relations FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid
        WHERE n.nspname = 'public' OR n.nspname LIKE 'aquaseed_%' GROUP BY n.nspname`,
    );
    expect(rows).toEqual([{ nspname: 'public', relations: 0 }]);
  });
});

describe('aquaseed warm and cache', () => {
  it('warms the cache once, lists the entry and prunes it', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-warm-'));
    await chmod(cacheDir, 0o755);
    try {
      const first = await runCli(['warm', 'single-batch', '--cache-dir', cacheDir, '--json']);
      expect(first.code).toBe(0);
      const warmed = JSON.parse(first.stdout.trim().split('\n').at(-1) as string) as { presets: { state: string; rows: number }[] };
      expect(warmed.presets[0]).toMatchObject({ state: 'generated' });
      const second = await runCli(['warm', 'single-batch', '--cache-dir', cacheDir]);
      expect(second.stdout).toMatch(/^single-batch: already cached \([\d,]+ rows, key [0-9a-f]{12}…\) in [\d.]+ s$/m);

      const listed = await runCli(['cache', 'ls', '--cache-dir', cacheDir, '--json']);
      const { items, bytes } = JSON.parse(listed.stdout) as { items: { kind: string; name: string; preset?: string; rows?: number; bytes: number }[]; bytes: number };
      // Every byte of the cache directory is listed: the total is what du says of it.
      const du = spawnSync('du', ['-s', '-B1', cacheDir], { encoding: 'utf8' });
      expect(du.status, du.stderr).toBe(0);
      expect(bytes).toBe(Number(du.stdout.split('\t')[0]));
      expect(items.reduce((sum, item) => sum + item.bytes, 0)).toBe(bytes);
      const method = await copyMethodIn(cacheDir);
      expect(JSON.parse(listed.stdout)).toMatchObject({ copyMethod: method });
      expect((await runCli(['cache', 'ls', '--cache-dir', cacheDir])).stdout).toContain(`\ncopies: ${method} (`);
      // The physical entry warm wrote, and the cluster template its throwaway cluster was copied from.
      expect(items.filter((item) => item.kind !== 'other').map(({ kind, name }) => ({ kind, name }))).toEqual([
        { kind: 'physical', name: 'single-batch' },
        { kind: 'cluster', name: 'template' },
      ]);
      expect(items[0]).toMatchObject({ preset: 'single-batch', rows: warmed.presets[0]!.rows });
      expect(items[0]!.bytes).toBeGreaterThan(50 * 2 ** 20);

      const pruned = await runCli(['cache', 'prune', '--all', '--cache-dir', cacheDir]);
      expect(pruned.stdout).toMatch(/^removed 2: /);
      expect((await runCli(['cache', 'ls', '--cache-dir', cacheDir])).stdout).toMatch(/^nothing cached in /);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
