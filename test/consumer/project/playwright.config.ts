import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, type FarmWorkerFixtures } from 'aquaseed/playwright';

export default defineConfig<object, Pick<FarmWorkerFixtures, 'farmPreset'>>({
  testDir: './e2e',
  globalSetup: 'aquaseed/playwright/global-setup', // seeds each farmPreset once per run
  workers: 2, // each worker clones it into its own database
  use: { farmPreset: 'single-batch', launchOptions: chromiumLaunchOptions() },
});
