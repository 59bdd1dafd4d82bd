import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Seeds each preset once per run and provides it to farmTest (one copy per file).
    globalSetup: ['aquaseed/vitest/global-setup'],
    provide: { farmPreset: 'single-batch' },
    hookTimeout: 300_000,
  },
});
