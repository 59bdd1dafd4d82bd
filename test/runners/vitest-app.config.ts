import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Run by test/integration/app-runner.test.ts in a process of its own: farmTest's `app` (provide.app).
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['vitest-app/*.run.ts'],
    globalSetup: ['aquaseed/vitest/global-setup'],
    provide: {
      farmPreset: 'tiny',
      farmPool: false,
      app: { command: `${JSON.stringify(process.execPath)} server.mjs`, cwd: fileURLToPath(new URL('./app-e2e', import.meta.url)), ready: '/health' },
    },
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
