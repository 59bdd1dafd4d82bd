import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, type FarmWorkerFixtures } from 'aquaseed/playwright';

// Workers inherit the runner's environment: the spec's two-worker rendezvous uses this run id.
process.env.DASHBOARD_E2E_RUN ??= `${process.pid}-${Date.now()}`;

export default defineConfig<object, Pick<FarmWorkerFixtures, 'farmPreset'>>({
  testDir: './e2e',
  outputDir: './test-results',
  // Seed each preset once for the run; each worker then clones it into aquaseed_tiny_w<parallelIndex>.
  // (An installed package can name it as 'aquaseed/playwright/global-setup'; Playwright resolves
  // that from node_modules, where this in-repo example has no copy of aquaseed.)
  globalSetup: fileURLToPath(import.meta.resolve('aquaseed/playwright/global-setup')),
  fullyParallel: true,
  workers: 2,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    farmPreset: 'tiny',
    launchOptions: chromiumLaunchOptions(),
    screenshot: 'only-on-failure',
  },
});
