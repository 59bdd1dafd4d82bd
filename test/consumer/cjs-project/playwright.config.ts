import { defineConfig } from '@playwright/test';
import type { FarmWorkerFixtures } from 'aquaseed/playwright';

export default defineConfig<object, Pick<FarmWorkerFixtures, 'farmPreset'>>({
  testDir: './e2e',
  globalSetup: 'aquaseed/playwright/global-setup',
  workers: 1,
  use: { farmPreset: 'tiny' },
});
