import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['examples/farm-dashboard/test/**/*.test.ts'],
    // Seeds tiny and single-batch once; every file then gets a copy (see farmTest).
    globalSetup: ['aquaseed/vitest/global-setup'],
    provide: { farmPreset: ['tiny', 'single-batch'] },
    testTimeout: 60_000,
    hookTimeout: 300_000,
    maxWorkers: 2,
  },
});
