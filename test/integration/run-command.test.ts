/**
 * runCommand: an app's migrate command run through the shell in its directory with a real
 * database's DATABASE_URL and PG* variables; a failure names the command, the exit and the last
 * output; a command that hangs is stopped with everything it started.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFarm, type Farm } from '../../src/index.js';
import { runCommand } from '../../src/host/run-command.js';
import { databaseEnv } from '../../src/host/database-env.js';
import { isRunning } from '../../src/host/process-owner.js';

let farm: Farm;
let dir: string;
let url: string;
const DATABASE = `run_command_${process.pid}`;

beforeAll(async () => {
  farm = await seedFarm('tiny');
  dir = await mkdtemp(join(tmpdir(), 'aquaseed-run-command-'));
  await writeFile(join(dir, 'schema.sql'), 'CREATE TABLE app_note (id bigserial PRIMARY KEY, body text NOT NULL);\n');
  const admin = new pg.Client({ connectionString: farm.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const parsed = new URL(farm.url);
  parsed.pathname = `/${DATABASE}`;
  url = parsed.href;
});

afterAll(async () => {
  const admin = new pg.Client({ connectionString: farm.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
  await rm(dir, { recursive: true, force: true });
  await farm?.close();
});

describe('runCommand', () => {
  it('runs the command in cwd with the database in PG* (psql reads them) and DATABASE_URL', async () => {
    const result = await runCommand('psql -v ON_ERROR_STOP=1 -q -f schema.sql && psql -At -c "SELECT current_database()" && echo "url=$DATABASE_URL"', { databaseUrl: url, cwd: dir });
    expect(result.output).toBe(`${DATABASE}\nurl=${url}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('app_note') IS NOT NULL AS exists`);
    await client.end();
    expect(rows[0]!.exists).toBe(true);
  });

  it('fails with AQUASEED_MIGRATE_FAILED naming the command, the exit code and the tail of the output', async () => {
    const error = await runCommand('echo applying 0002_broken; psql -v ON_ERROR_STOP=1 -q -c "CREATE TABLE broken ("', { databaseUrl: url, cwd: dir, role: 'migrate' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AQUASEED_MIGRATE_FAILED' });
    const message = (error as Error).message;
    expect(message).toContain(`migrate command 'echo applying 0002_broken; psql -v ON_ERROR_STOP=1 -q -c "CREATE TABLE broken ("' failed with exit code 1 in ${dir} on postgres://`);
    expect(message).toMatch(/; its last output:\napplying 0002_broken\n\[stderr\] ERROR: {2}syntax error at end of input/);
    expect(message).not.toContain(`:${new URL(url).password}@`);
  });

  it('keeps only the last lines of a long output', async () => {
    const error = await runCommand('for i in $(seq 1 500); do echo line $i; done; exit 4', { databaseUrl: url, role: 'migrate.setup', tailLines: 3 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^migrate\.setup command .* failed with exit code 4 on .*; its last output:\n\[… 497 earlier lines\]\nline 498\nline 499\nline 500$/);
  });

  it('stops a command that does not finish in time, and what it started', async () => {
    const error = await runCommand('sleep 600 & echo "child $!"; wait', { databaseUrl: url, timeoutMs: 3000 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^migrate command 'sleep 600 & echo "child \$!"; wait' did not finish within 3000 ms on .* and was stopped; its last output:\nchild \d+$/);
    const child = Number(/child (\d+)/.exec((error as Error).message)![1]);
    expect(isRunning(child)).toBe(false);
  });

  it('refuses an empty command and a cwd that is not a directory', async () => {
    await expect(runCommand('  ', { databaseUrl: url })).rejects.toThrow(/^migrate command must be a shell command, got " {2}"$/);
    await expect(runCommand('true', { databaseUrl: url, cwd: join(dir, 'nope') })).rejects.toThrow(/^migrate command cwd ".*nope" is not a directory$/);
  });
});

describe('databaseEnv', () => {
  it('splits a URL into libpq variables, decoding user and password; a socket directory as PGHOST', () => {
    expect(databaseEnv('postgres://farm%40er:p%40ss%2Fw@[::1]:5433/farm_db?sslmode=disable')).toEqual({
      DATABASE_URL: 'postgres://farm%40er:p%40ss%2Fw@[::1]:5433/farm_db?sslmode=disable',
      PGHOST: '::1',
      PGPORT: '5433',
      PGUSER: 'farm@er',
      PGPASSWORD: 'p@ss/w',
      PGDATABASE: 'farm_db',
      PGSSLMODE: 'disable',
    });
    expect(databaseEnv('postgresql://me@/farm?host=/var/run/postgresql')).toMatchObject({ PGHOST: '/var/run/postgresql', PGPORT: '5432', PGUSER: 'me', PGDATABASE: 'farm' });
    expect(() => databaseEnv('mysql://x@y/z')).toThrow(/is not a postgres:\/\/ URL/);
  });
});
