import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import type { FarmWorkerOptions } from 'aquaseed/playwright';

// Run by test/integration/app-runner.test.ts; the specs need no browser. One worker (and no project dependencies: a
// failed project would skip its dependents): each failing test makes Playwright replace the worker,
// which is what the specs look at.
const app = { command: `${JSON.stringify(process.execPath)} server.mjs`, cwd: fileURLToPath(new URL('./app-e2e', import.meta.url)), ready: '/health' };

export default defineConfig<object, Partial<FarmWorkerOptions>>({
  testDir: './app-e2e',
  outputDir: process.env.AQUASEED_RUNNER_OUTPUT ?? 'test-results',
  globalSetup: fileURLToPath(import.meta.resolve('aquaseed/playwright/global-setup')),
  workers: 1,
  timeout: 120_000,
  reporter: [['line'], ['json', { outputFile: process.env.AQUASEED_RUNNER_JSON ?? 'test-results/app-runner.json' }]],
  use: { farmPreset: 'tiny', app, farmPool: false },
  projects: [
    { name: 'slot', testMatch: /slot\.spec\.ts/, use: { farmIsolation: 'slot' } },
    { name: 'pool', testMatch: /pool\.spec\.ts/, use: { farmIsolation: 'reset' } },
    { name: 'died', testMatch: /died\.spec\.ts/, use: { farmIsolation: 'reset' } },
    { name: 'kept', testMatch: /kept\.spec\.ts/, use: { farmIsolation: 'reset', keepFailed: true } },
  ],
});
