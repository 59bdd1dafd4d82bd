import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Run by test/integration/failure-kill.test.ts, which kills this run's main process with SIGKILL
// while its worker holds a farm: the worker's embedded server must not outlive the run.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.run.ts'],
    maxWorkers: 1,
    testTimeout: 600_000,
  },
});
