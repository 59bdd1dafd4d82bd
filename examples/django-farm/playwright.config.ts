/**
 * The Django farm's E2E suite: two workers, each with its own runserver on its own copy of one
 * template that the global setup made with the app's own migration, the farm, and the app's setup
 * command (its admin user). `reset` isolation puts each worker's copy back after every test and
 * tracks what the app wrote (farm.changes(), toHaveWritten). The app and the browser both run at
 * the farm's now (libfaketime, Playwright's clock).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, type FarmWorkerOptions } from 'aquaseed/playwright';

/** A Python with Django and psycopg2: $PYTHON, Debian's /usr/bin/python3, or python3 on PATH. */
function python(): string {
  for (const candidate of [process.env.PYTHON, '/usr/bin/python3', 'python3']) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['-c', 'import django, psycopg2'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error('no Python with Django and psycopg2: apt-get install python3-django python3-psycopg2, or set PYTHON');
}

const PYTHON = python();
const cwd = fileURLToPath(new URL('.', import.meta.url));
/** The admin's password: the setup command gives it to the template's admin user. */
export const ADMIN_PASSWORD = 'farm-admin-pw';

// Workers inherit the runner's environment: the spec's two-worker rendezvous uses this run id.
process.env.DJANGO_E2E_RUN ??= `${process.pid}-${Date.now()}`;

export default defineConfig<object, Partial<FarmWorkerOptions>>({
  testDir: './e2e',
  outputDir: './test-results',
  // (An installed package can name it as 'aquaseed/playwright/global-setup'.)
  globalSetup: fileURLToPath(import.meta.resolve('aquaseed/playwright/global-setup')),
  fullyParallel: true,
  workers: 2,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    farmPreset: 'tiny',
    // Tracked and put back after every test: each test starts from the template and sees what it wrote.
    farmIsolation: 'reset',
    farmMigrate: {
      command: `${PYTHON} manage.py migrate --noinput`,
      setup: `${PYTHON} manage.py setup`,
      cwd,
      env: { FARM_ADMIN_PASSWORD: ADMIN_PASSWORD },
      hashFiles: ['farm/migrations/*.py'],
    },
    app: { command: `${PYTHON} manage.py runserver 127.0.0.1:$PORT --noreload`, cwd, ready: '/health/', clock: 'asOf' },
    farmClock: 'asOf',
    launchOptions: chromiumLaunchOptions(),
  },
});
