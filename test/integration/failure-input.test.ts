/**
 * Bad input loses nothing: every refusal is an AquaseedError with a stable code whose message names
 * the key or the server, and nothing of the user's is touched. Runs against a real embedded server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { planSchedule, seedFarm } from '../../src/index.js';
import { loadPreset } from '../../src/preset-files/presets.js';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { defaultCacheDir } from '../../src/host/cache-dir.js';
import { connectClient, queryOnce } from '../../src/db/client.js';
import { connectApp } from '../support/app-connection.js';
import { freePort } from '../../src/provision/free-port.js';
import { runCli } from '../support/cli.js';

let server: EmbeddedServer;
let admin: pg.Client;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'aquaseed-failure-input-'));
  server = await startEmbedded({ root: join(defaultCacheDir(), 'embedded') });
  admin = await connectClient(server.url('postgres'));
});

afterAll(async () => {
  await admin?.end();
  await server?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('invalid presets and schedules name the key path', () => {
  it('a preset file with a value out of range names the key, the value and the file', async () => {
    const file = join(scratch, 'bad-eggs.yaml');
    const tiny = loadPreset('tiny');
    await writeFile(file, JSON.stringify({ ...tiny, name: 'bad-eggs', eggs: 5 }));
    await expect(seedFarm({ preset: file, cacheDir: scratch })).rejects.toMatchObject({
      code: 'AQUASEED_INVALID_SCHEDULE',
      // The file, then the value's line and column (JSON is YAML: one line here).
      message: expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:\\d+: eggs = 5: `)),
      fix: expect.stringContaining('fix eggs in'),
    });
  });

  it('a preset file with a misspelt key names that key', async () => {
    const file = join(scratch, 'typo.yaml');
    const tiny = loadPreset('tiny');
    await writeFile(file, JSON.stringify({ ...tiny, name: 'typo', stagerDays: 90 }));
    await expect(seedFarm({ preset: file, cacheDir: scratch })).rejects.toMatchObject({
      code: 'AQUASEED_INVALID_SCHEDULE',
      message: expect.stringMatching(/: stagerDays = 90: not a known key/),
    });
  });

  it('a schedule with a bad nested value names its full path, before any server starts', async () => {
    const schedule = planSchedule(loadPreset('tiny'));
    const broken = structuredClone(schedule);
    broken.batches[1]!.freshwater[0]!.hall = 'Atlantis-Hall-A';
    await expect(seedFarm({ schedule: broken, cacheDir: scratch })).rejects.toMatchObject({
      code: 'AQUASEED_INVALID_SCHEDULE',
      message: expect.stringMatching(/batches\[1\] \([A-Z]{3}-\d{4}-\d{3}\)\.freshwater\[0\]\.hall = "Atlantis-Hall-A": not a \w+ hall/),
    });
    // No server was started: an embedded one would have made its cluster under the cache directory.
    expect(existsSync(join(scratch, 'embedded')), 'an embedded cluster under the cache directory').toBe(false);
  });
});

describe('an unknown preset', () => {
  it('lists the known presets', async () => {
    const known = ['tiny', 'single-batch', '40-batch'];
    await expect(seedFarm({ preset: 'no-such-farm', cacheDir: scratch })).rejects.toMatchObject({
      code: 'AQUASEED_UNKNOWN_PRESET',
      message: 'unknown preset "no-such-farm"',
      fix: expect.toSatisfy((fix: string) => known.every((name) => fix.includes(name)), `naming ${known.join(', ')}`),
    });
  });
});

describe('database URLs that cannot be used', () => {
  it('an unreachable server: AQUASEED_DATABASE_UNREACHABLE naming host and port', async () => {
    const port = await freePort();
    await expect(seedFarm({ preset: 'tiny', databaseUrl: `postgres://u:topsecret@127.0.0.1:${port}/farm` })).rejects.toMatchObject({
      code: 'AQUASEED_DATABASE_UNREACHABLE',
      message: `cannot reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED)`,
      fix: expect.not.stringContaining('topsecret'),
      cause: expect.objectContaining({ code: 'ECONNREFUSED' }),
    });
  });

  it('a wrong password: AQUASEED_DATABASE_AUTH naming the user, never the password', async () => {
    await admin.query('CREATE DATABASE auth_target');
    const url = new URL(server.url('auth_target'));
    url.password = 'not-the-password';
    await expect(seedFarm({ preset: 'tiny', databaseUrl: url.toString() })).rejects.toMatchObject({
      code: 'AQUASEED_DATABASE_AUTH',
      message: expect.stringMatching(/^PostgreSQL at 127\.0\.0\.1:\d+ refused user "aquaseed": password authentication failed(?!.*not-the-password)/s),
      fix: expect.not.stringContaining('not-the-password'),
      cause: expect.objectContaining({ code: '28P01' }),
    });
  });

  it('a database with a foreign table and a plain table is refused and left untouched', async () => {
    await admin.query('CREATE DATABASE fdw_app');
    const app = await connectApp(server.url('fdw_app'));
    try {
      await app.query(`CREATE TABLE customers (id int PRIMARY KEY, name text)`);
      await app.query(`INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 250) g`);
      await app.query('CREATE EXTENSION postgres_fdw');
      await app.query(`CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'postgres')`);
      await app.query(`CREATE FOREIGN TABLE remote_orders (id int) SERVER loopback`);
      const before = (await app.query(`SELECT relname, relkind FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY relname`)).rows;

      await expect(seedFarm({ preset: 'tiny', databaseUrl: server.url('fdw_app'), cacheDir: scratch })).rejects.toMatchObject({
        code: 'AQUASEED_FOREIGN_DATABASE',
        message: 'database "fdw_app" already holds 2 table(s) aquaseed did not create (customers, remote_orders); nothing was changed',
      });

      expect((await app.query(`SELECT relname, relkind FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY relname`)).rows).toEqual(before);
      expect((await app.query('SELECT count(*)::int AS n, sum(id)::int AS s FROM customers')).rows).toEqual([{ n: 250, s: 31375 }]);
      expect((await app.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'aquaseed%'`)).rows).toEqual([]);
    } finally {
      await app.end();
    }
  });
});

describe('a port asked for (`up --port`) that is in use', () => {
  let squatter: Server;
  afterAll(() => new Promise<void>((resolve) => (squatter ? squatter.close(() => resolve()) : resolve())));

  /** The throwaway clusters this process has under the shared cache: only `server`'s may be left. */
  function ourRuns(): string[] {
    const runs = join(server.dataDir, '..');
    return readdirSync(runs).filter((name) => name.startsWith(`${process.pid}-`)).map((name) => join(runs, name));
  }

  // Another port would not be what was asked for: it is refused, naming the port, and nothing is left.
  it('held by another program: AQUASEED_EMBEDDED_START naming the port, no cluster left', async () => {
    const port = await freePort();
    squatter = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', () => resolve()));
    await expect(startEmbedded({ root: join(defaultCacheDir(), 'embedded'), port })).rejects.toMatchObject({
      code: 'AQUASEED_EMBEDDED_START',
      fix: `port ${port} is taken: choose another (--port) or leave the port to aquaseed`,
    });
    expect(ourRuns()).toEqual([server.dataDir]);
  });

  it('held by another PostgreSQL: not mistaken for our server, refused the same way', async () => {
    // `server` (aquaseed's own credentials) already listens on its port: a new cluster asked to use
    // it must fail to bind and notice the answering server is not its own.
    await expect(startEmbedded({ root: join(defaultCacheDir(), 'embedded'), port: server.port })).rejects.toMatchObject({
      code: 'AQUASEED_EMBEDDED_START',
      fix: `port ${server.port} is taken: choose another (--port) or leave the port to aquaseed`,
    });
    expect(ourRuns()).toEqual([server.dataDir]);
    // The server whose port it was serves on, untouched.
    const { rows } = await queryOnce<{ dir: string }>(server.url('postgres'), `SELECT current_setting('data_directory') AS dir`);
    expect(rows[0]!.dir).toBe(server.dataDir);
  });
});

describe('the CLI prints one line per error, a stack only with --debug', () => {
  it('AQUASEED_UNKNOWN_PRESET: two lines without --debug, the stack with it', async () => {
    // --quiet: progress lines stay out of stderr, errors do not.
    const plain = await runCli(['seed', 'no-such-farm', '--quiet']);
    expect(plain.code).toBe(1);
    expect(plain.stderr.trim().split('\n')).toEqual([
      'aquaseed [AQUASEED_UNKNOWN_PRESET]: unknown preset "no-such-farm"',
      expect.stringMatching(/^ {2}fix: use one of: .*single-batch.*tiny/),
    ]);
    const debug = await runCli(['seed', 'no-such-farm', '--quiet', '--debug']);
    expect(debug.code).toBe(1);
    expect(debug.stderr.split('\n')[0]).toBe('aquaseed [AQUASEED_UNKNOWN_PRESET]: unknown preset "no-such-farm"');
    expect(debug.stderr).toMatch(/^\s+at .*presets\.(ts|js)/m);
  });

  it('AQUASEED_DATABASE_AUTH: one line naming the user, the cause only with --debug', async () => {
    const url = new URL(server.url('postgres'));
    url.password = 'wrong-pw';
    const plain = await runCli(['seed', 'tiny', '--database-url', url.toString(), '--quiet']);
    expect(plain.code).toBe(1);
    const lines = plain.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^aquaseed \[AQUASEED_DATABASE_AUTH\]: PostgreSQL at 127\.0\.0\.1:\d+ refused user "aquaseed"/);
    expect(plain.stderr).not.toContain('wrong-pw');
    const debug = await runCli(['seed', 'tiny', '--database-url', url.toString(), '--quiet', '--debug']);
    expect(debug.stderr).toMatch(/caused by: error: password authentication failed/);
    expect(debug.stderr).not.toContain('wrong-pw');
  });
});
