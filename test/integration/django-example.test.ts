/**
 * The Django example (examples/django-farm) through aquaseed's building blocks, before the fixture
 * wiring: its migrate and setup commands run by runCommand on an empty database, its migration key,
 * and the app started by startApps (login required, sessions in the database). Needs a Python with
 * Django and psycopg2 (Debian: python3-django, python3-psycopg2); skips naming them otherwise.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFarm, type Farm } from '../../src/index.js';
import { runCommand } from '../../src/host/run-command.js';
import { migrateKey } from '../../src/cache/migrate-key.js';
import { startApps } from '../../src/isolation/app/apps.js';
import { packageRoot } from '../../src/host/package-root.js';

/** A Python with Django and psycopg2: $PYTHON, Debian's /usr/bin/python3, or python3 on PATH. */
function djangoPython(): string | null {
  for (const candidate of [process.env.PYTHON, '/usr/bin/python3', 'python3']) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['-c', 'import django, psycopg2'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

const PYTHON = djangoPython();
const EXAMPLE = join(packageRoot(), 'examples', 'django-farm');
const DATABASE = `django_example_${process.pid}`;
const SKIP = 'no Python with Django and psycopg2 (Debian: apt-get install python3-django python3-psycopg2, or set PYTHON)';

describe('the Django example', () => {
  let farm: Farm;
  let url: string;

  beforeAll(async () => {
    if (!PYTHON) return;
    farm = await seedFarm('tiny');
    const admin = new pg.Client({ connectionString: farm.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    const parsed = new URL(farm.url);
    parsed.pathname = `/${DATABASE}`;
    url = parsed.href;
  });

  afterAll(async () => {
    if (!farm) return;
    const admin = new pg.Client({ connectionString: farm.url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.end();
    await farm.close();
  });

  it('migrates an empty database: Django’s tables and its own, none of the AquaMind ones it only models', async (context) => {
    if (!PYTHON) context.skip(SKIP);
    const result = await runCommand(`${PYTHON} manage.py migrate --noinput`, { databaseUrl: url, cwd: EXAMPLE });
    expect(result.output).toContain('Applying farm.0001_initial... OK');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    await client.end();
    expect(rows.map((row) => row.name)).toEqual([
      'auth_group',
      'auth_group_permissions',
      'auth_permission',
      'auth_user',
      'auth_user_groups',
      'auth_user_user_permissions',
      'django_content_type',
      'django_migrations',
      'django_session',
      'farm_formaudit',
    ]);
  });

  it('setup makes the admin user with the password from the environment, and fails naming the variable without it', async (context) => {
    if (!PYTHON) context.skip(SKIP);
    const done = await runCommand(`${PYTHON} manage.py setup`, { databaseUrl: url, cwd: EXAMPLE, env: { FARM_ADMIN_PASSWORD: 'pw-1' }, role: 'migrate.setup' });
    expect(done.output).toMatch(/^created admin user 'admin' \(id \d+\)$/);
    const error = await runCommand(`${PYTHON} manage.py setup`, { databaseUrl: url, cwd: EXAMPLE, role: 'migrate.setup' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AQUASEED_MIGRATE_FAILED' });
    expect((error as Error).message).toMatch(/^migrate\.setup command '.* manage\.py setup' failed with exit code 1 in .*django-farm on postgres:\/\/.*; its last output:\n\[stderr\] CommandError: FARM_ADMIN_PASSWORD is not set/);
  });

  it('its migration key covers its migrations', async () => {
    const { files } = await migrateKey({ command: 'python3 manage.py migrate --noinput', cwd: EXAMPLE, hashFiles: ['farm/migrations/*.py'] });
    expect(files).toEqual(['farm/migrations/0001_initial.py', 'farm/migrations/__init__.py']);
  });

  it('runs as an app on PORT: ready on /health/, pages behind a login, a login writes a session', async (context) => {
    if (!PYTHON) context.skip(SKIP);
    const apps = await startApps({ command: `${PYTHON} manage.py runserver 127.0.0.1:$PORT --noreload`, cwd: EXAMPLE, ready: '/health/' }, { databaseUrl: url });
    try {
      const batches = await fetch(`${apps.url}/batches/`, { redirect: 'manual' });
      expect(batches.status).toBe(302);
      expect(batches.headers.get('location')).toBe('/login/?next=/batches/');
      const login = await fetch(`${apps.url}/login/`);
      const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await login.text())![1]!;
      const posted = await fetch(`${apps.url}/login/`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, referer: `${apps.url}/login/`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrfmiddlewaretoken: token, username: 'admin', password: 'pw-1' }),
      });
      expect(posted.status).toBe(302);
      expect(posted.headers.get('location')).toBe('/batches/');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ sessions: number }>('SELECT count(*)::int AS sessions FROM django_session');
      await client.end();
      expect(rows[0]!.sessions).toBe(1);
      expect(apps.logs()).toMatch(/"POST \/login\/ HTTP\/1\.1" 302 0/);
    } finally {
      await apps.stop();
    }
  });

  it('migrate mode seeds the farm into what its migration made: auth_user filled and its admin added by setup, its own tables left alone', async (context) => {
    if (!PYTHON) context.skip(SKIP);
    const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-django-migrate-'));
    // As root, PostgreSQL runs as `postgres`, which must reach the cluster under the cache directory.
    await chmod(cacheDir, 0o755);
    try {
      const migrated = await seedFarm('tiny', {
        cache: { dir: cacheDir },
        migrate: {
          command: `${PYTHON} manage.py migrate --noinput`,
          setup: `${PYTHON} manage.py setup`,
          cwd: EXAMPLE,
          env: { FARM_ADMIN_PASSWORD: 'pw-2' },
          hashFiles: ['farm/migrations/*.py'],
        },
      });
      try {
        const client = new pg.Client({ connectionString: migrated.url });
        await client.connect();
        const users = await client.query<{ username: string; is_superuser: boolean }>('SELECT username, is_superuser FROM auth_user ORDER BY id');
        const own = await client.query<{ audits: number; migrations: number }>(
          `SELECT (SELECT count(*)::int FROM farm_formaudit) AS audits, (SELECT count(*)::int FROM django_migrations WHERE app = 'farm') AS migrations`,
        );
        await client.end();
        // The farm's users (the table the migration made, filled), setup's admin among them.
        expect(users.rows.length).toBeGreaterThan(1);
        expect(users.rows).toContainEqual({ username: 'admin', is_superuser: true });
        expect(own.rows[0]).toEqual({ audits: 0, migrations: 1 });
        const counts = await migrated.counts();
        expect(counts.batch_batch).toBeGreaterThan(0);
        expect(counts.batch_mortalityevent).toBeGreaterThan(0);
      } finally {
        await migrated.close();
      }
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
