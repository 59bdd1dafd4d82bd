/**
 * The `app` section of the bench (`npm run bench -- --app --preset single-batch`): what an app
 * under test costs around a farm, with the Django example (examples/django-farm, Debian's
 * python3-django and python3-psycopg2):
 *
 * - the migrated template: the first seed (empty database, `migrate`, the farm, `setup`) and a
 *   cached one (a restore);
 * - the app's start per worker: `runserver --noreload` on a copy, until `/health/` answers;
 * - a reset with the app's pool connected: idle connections, and one left inside an open
 *   transaction (the reset waits, then ends it: src/isolation/farm-session.ts);
 * - `farm.changes()` after a form-sized write (a mortality event, the app's audit row and the
 *   admin's last_login; the target: under 50 ms on 40-batch).
 *
 * The load average before and after is reported: figures from a busy machine are upper bounds.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { seedFarm } from '../src/seed/seed-farm.js';
import { startApps } from '../src/isolation/app/apps.js';
import { packageRoot } from '../src/host/package-root.js';
import { queryOnce } from '../src/db/client.js';
import type { Farm, FarmClone } from '../src/seed/farm.js';

const RUNS = 5;

export interface AppBenchResult {
  preset: string;
  conditions: { loadAverageBefore: number; loadAverageAfter: number };
  template: { firstSeconds: number; migrateSeconds: number; setupSeconds: number; cachedSeconds: number };
  appStartSeconds: number[];
  reset: { idlePoolSeconds: number; openTransactionSeconds: number };
  changes: { milliseconds: number[]; medianMs: number };
}

function djangoPython(): string {
  for (const candidate of [process.env.PYTHON, '/usr/bin/python3', 'python3']) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['-c', 'import django, psycopg2'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error('the app bench needs a Python with Django and psycopg2: apt-get install python3-django python3-psycopg2, or set PYTHON');
}

const seconds = (since: number): number => (performance.now() - since) / 1000;

/** A form-sized write, as the Django example's form makes it, on a connection of the app's. */
async function formWrite(client: pg.ClientBase, description: string): Promise<void> {
  await client.query(
    `WITH event AS (
       INSERT INTO batch_mortalityevent (event_date, count, biomass_kg, cause, description, created_at, updated_at, batch_id, assignment_id)
       SELECT event_date, 250, biomass_kg, cause, $1, now(), now(), batch_id, assignment_id FROM batch_mortalityevent ORDER BY id LIMIT 1
       RETURNING id)
     INSERT INTO farm_formaudit (user_id, form, created_id, created_at)
       SELECT (SELECT id FROM auth_user WHERE username = 'admin'), 'mortality', id, now() FROM event`,
    [description],
  );
  await client.query(`UPDATE auth_user SET last_login = now() WHERE username = 'admin'`);
}

export async function benchApp(preset: string): Promise<AppBenchResult> {
  const python = djangoPython();
  const cwd = join(packageRoot(), 'examples', 'django-farm');
  const loadAverageBefore = loadavg()[0]!;
  const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-bench-app-'));
  // As root, PostgreSQL runs as `postgres`, which must reach the clusters under the cache directory.
  await chmod(cacheDir, 0o755);
  const migrate = {
    command: `${python} manage.py migrate --noinput`,
    setup: `${python} manage.py setup`,
    cwd,
    env: { FARM_ADMIN_PASSWORD: 'bench' },
    hashFiles: ['farm/migrations/*.py'],
  };
  const farms: Farm[] = [];
  let clone: FarmClone | undefined;
  try {
    let started = performance.now();
    const first = await seedFarm(preset, { migrate, cache: { dir: cacheDir } });
    const firstSeconds = seconds(started);
    farms.push(first);
    const { migrate: migrateSeconds = 0, setup: setupSeconds = 0 } = first.summary.timings;
    started = performance.now();
    const cached = await seedFarm(preset, { migrate, cache: { dir: cacheDir } });
    const cachedSeconds = seconds(started);
    farms.push(cached);

    clone = await cached.clone({ resettable: true });
    const appStartSeconds: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      started = performance.now();
      const app = await startApps({ command: `${python} manage.py runserver 127.0.0.1:$PORT --noreload`, cwd, ready: '/health/' }, { databaseUrl: clone.url });
      appStartSeconds.push(seconds(started));
      await app.stop();
    }

    // The app's pool: four connections, idle after a form's write.
    const pool = new pg.Pool({ connectionString: clone.url, max: 4, application_name: 'bench app pool' });
    const held = await Promise.all([0, 1, 2, 3].map(() => pool.connect()));
    await formWrite(held[0]!, 'bench idle');
    for (const client of held) client.release();
    started = performance.now();
    await clone.reset();
    const idlePoolSeconds = seconds(started);

    // One connection left inside an open transaction that wrote: the reset's lock wait runs out,
    // the session is ended, the reset runs (what the fixture does, src/isolation/farm-session.ts).
    const open = await pool.connect();
    open.on('error', () => undefined); // it is ended from the outside
    await formWrite(open, 'bench committed');
    await open.query('BEGIN');
    await open.query(`UPDATE batch_batch SET notes = 'bench open transaction' WHERE id = (SELECT min(id) FROM batch_batch)`);
    started = performance.now();
    try {
      await clone.reset({ lockTimeoutMs: 2000 });
    } catch {
      await queryOnce(clone.url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
      await clone.reset();
    }
    const openTransactionSeconds = seconds(started);
    open.release(true);
    await pool.end();

    const milliseconds: number[] = [];
    const writer = new pg.Client({ connectionString: clone.url });
    await writer.connect();
    for (let run = 0; run < RUNS; run++) {
      await formWrite(writer, `bench changes ${run}`);
      started = performance.now();
      await clone.changes();
      milliseconds.push(seconds(started) * 1000);
      await clone.reset();
    }
    await writer.end();
    const sorted = [...milliseconds].sort((a, b) => a - b);
    return {
      preset,
      conditions: { loadAverageBefore, loadAverageAfter: loadavg()[0]! },
      template: { firstSeconds, migrateSeconds, setupSeconds, cachedSeconds },
      appStartSeconds,
      reset: { idlePoolSeconds, openTransactionSeconds },
      changes: { milliseconds, medianMs: sorted[Math.floor(sorted.length / 2)]! },
    };
  } finally {
    await clone?.close();
    for (const farm of farms) await farm.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
}
