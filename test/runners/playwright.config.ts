import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import type { FarmWorkerFixtures } from 'aquaseed/playwright';

// Run by test/integration/isolation-modes.test.ts; the specs need no browser.
export default defineConfig<object, Pick<FarmWorkerFixtures, 'farmPreset' | 'farmIsolation' | 'keepFailed' | 'farmPool'>>({
  testDir: './e2e',
  outputDir: process.env.AQUASEED_RUNNER_OUTPUT ?? 'test-results',
  // Playwright resolves a bare name from node_modules, where this repository has no copy of itself.
  globalSetup: fileURLToPath(import.meta.resolve('aquaseed/playwright/global-setup')),
  workers: 1,
  timeout: 120_000,
  reporter: [['line']],
  use: { farmPreset: 'tiny', farmIsolation: 'reset', keepFailed: true, farmPool: { size: 1 } },
});
