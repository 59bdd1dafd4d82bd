import { defineConfig } from 'vitest/config';

// A CommonJS project (`npm init -y`): Vitest loads aquaseed's ESM through its own loader.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['aquaseed/vitest/global-setup'],
    provide: { farmPreset: 'tiny' },
    hookTimeout: 300_000,
  },
});
