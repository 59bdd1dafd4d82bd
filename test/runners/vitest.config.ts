import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Run by test/integration/isolation-modes.test.ts in a process of its own, with its own cache.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['vitest/*.run.ts'],
    globalSetup: ['aquaseed/vitest/global-setup'],
    provide: { farmPreset: 'tiny', farmPool: { size: 1 } },
    // One worker: its files run one after another on the same reset copy.
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
