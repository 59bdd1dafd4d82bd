import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, type FarmWorkerOptions } from 'aquaseed/playwright';

// Workers inherit the runner's environment: the spec's two-worker rendezvous uses this run id.
process.env.DASHBOARD_E2E_RUN ??= `${process.pid}-${Date.now()}`;
// One "today" for the whole run, as a CI pipeline pins it: the global setup dates the alerts
// farm to it and the dashboard looks back from it, even if the run crosses midnight UTC.
process.env.AQUASEED_TODAY ??= new Date().toISOString().slice(0, 10);

/** The alerts suite's preset: dated today, with two incidents. */
export const TODAY_FARM = fileURLToPath(new URL('./e2e/today-farm.yaml', import.meta.url));

export default defineConfig<object, Partial<FarmWorkerOptions>>({
  testDir: './e2e',
  outputDir: './test-results',
  // Seed each project's preset once for the run; each worker then clones it into aquaseed_tiny_w<parallelIndex>.
  // (An installed package can name it as 'aquaseed/playwright/global-setup'; Playwright resolves
  // that from node_modules, where this in-repo example has no copy of aquaseed.)
  globalSetup: fileURLToPath(import.meta.resolve('aquaseed/playwright/global-setup')),
  fullyParallel: true,
  workers: 2,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    farmPreset: 'tiny',
    // The dashboard in a process of its own per worker, on the worker's farm (DATABASE_URL, PORT).
    app: { command: `${JSON.stringify(process.execPath)} --import tsx src/main.ts`, cwd: fileURLToPath(new URL('.', import.meta.url)), ready: '/' },
    launchOptions: chromiumLaunchOptions(),
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'tiny', testIgnore: /alerts\.spec\.ts/ },
    // After the tiny suite, whose two workers must run side by side.
    { name: 'today', testMatch: /alerts\.spec\.ts/, use: { farmPreset: TODAY_FARM }, dependencies: ['tiny'] },
  ],
});
