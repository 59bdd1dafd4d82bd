/**
 * Migrate mode (`seedFarm(preset, { migrate })`), with a migration any machine can run (psql and
 * a .sql file): the command runs on an empty database with its DATABASE_URL, the farm is seeded
 * beside the app's own table, setup runs once after the seed, the result is cached under a key
 * over the schedule and the migrate setting (editing a hashed file reseeds; `aquaseed key
 * --migrate` prints the same key), and a failing command names its exit code and last output and
 * caches nothing.
 */
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { seedFarm, type Farm } from '../../src/index.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/host/package-root.js';

let dir: string;
let cacheDir: string;
const farms: Farm[] = [];

const migrate = () => ({
  command: 'psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -f schema.sql',
  setup: `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -c "INSERT INTO app_note (body) VALUES ('from setup')"`,
  cwd: dir,
  hashFiles: ['*.sql'],
});

async function noteColumns(farm: Farm): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'app_note' ORDER BY ordinal_position`.execute(farm.db);
  return rows.map((row) => row.name);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aquaseed-migrate-'));
  // As root, PostgreSQL runs as `postgres`, which must reach the cluster under the cache directory.
  await chmod(dir, 0o755);
  cacheDir = join(dir, 'cache');
  await writeFile(join(dir, 'schema.sql'), 'CREATE TABLE app_note (id bigserial PRIMARY KEY, body text NOT NULL);\n');
});

afterAll(async () => {
  for (const farm of farms) await farm.close();
  await rm(dir, { recursive: true, force: true });
});

describe('migrate mode', () => {
  it("seeds the farm beside the app's own table, runs setup once after the seed, and caches the whole database", async () => {
    const farm = await seedFarm('tiny', { migrate: migrate(), cache: { dir: cacheDir } });
    farms.push(farm);
    expect(farm.summary.restored ?? false).toBe(false);
    expect(farm.summary.timings.migrate).toBeGreaterThan(0);
    expect(farm.summary.timings.setup).toBeGreaterThan(0);
    const notes = await sql<{ body: string }>`SELECT body FROM app_note`.execute(farm.db);
    expect(notes.rows).toEqual([{ body: 'from setup' }]);
    const counts = await farm.counts();
    expect(counts.batch_batch).toBeGreaterThan(0);

    // The CLI's key of the same setting is the farm's.
    // (Run where the files are: the CLI's commands and globs are taken from the current directory.)
    const cli = await promisify(execFile)(
      process.execPath,
      [join(packageRoot(), 'dist', 'src', 'cli', 'main.js'), 'key', 'tiny', '--migrate', migrate().command, '--migrate-hash', '*.sql', '--setup', migrate().setup],
      { cwd: dir },
    );
    expect(cli.stdout.trim()).toBe(farm.key);
    expect(cli.stderr).toContain('migrate key');

    // A second seed of the same setting is a cache hit: setup's row is there once, setup did not run again.
    const again = await seedFarm('tiny', { migrate: migrate(), cache: { dir: cacheDir } });
    farms.push(again);
    expect(again.key).toBe(farm.key);
    expect(again.summary.restored).toBe(true);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM app_note`.execute(again.db)).rows[0]!.n).toBe(1);
    expect(await again.counts()).toEqual(counts);
  });

  it('reseeds when a hashed file changes, and only then', async () => {
    const before = await seedFarm('tiny', { migrate: migrate(), cache: { dir: cacheDir } });
    farms.push(before);
    expect(before.summary.restored).toBe(true);
    await writeFile(join(dir, 'schema.sql'), 'CREATE TABLE app_note (id bigserial PRIMARY KEY, body text NOT NULL, author text);\n');
    const after = await seedFarm('tiny', { migrate: migrate(), cache: { dir: cacheDir } });
    farms.push(after);
    expect(after.key).not.toBe(before.key);
    expect(after.summary.restored ?? false).toBe(false);
    expect(await noteColumns(after)).toEqual(['id', 'body', 'author']);
  });

  it('a failing migrate command names its exit code and last output, and caches nothing', async () => {
    const entries = async () => (await readdir(join(cacheDir, 'snapshots')).catch(() => [] as string[])).sort();
    const cached = await entries();
    const error = await seedFarm('tiny', {
      migrate: { command: 'echo "applying farm.0002"; echo "relation app_thing does not exist" >&2; exit 3', cwd: dir },
      cache: { dir: cacheDir },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AQUASEED_MIGRATE_FAILED' });
    expect((error as Error).message).toMatch(/exit code 3/);
    expect((error as Error).message).toContain('relation app_thing does not exist');
    expect(await entries()).toEqual(cached);
  });

  it('refuses migrate with schema: existing, and a setting with a wrong field, before any server starts', async () => {
    await expect(seedFarm('tiny', { migrate: migrate(), schema: 'existing', cache: { dir: cacheDir } })).rejects.toMatchObject({ code: 'AQUASEED_INVALID_OPTION' });
    await expect(seedFarm('tiny', { migrate: { command: 'true', hashFile: '*.sql' } as never, cache: { dir: cacheDir } })).rejects.toThrow(/migrate has unknown field "hashFile"/);
  });
});
