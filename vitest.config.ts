import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The consumer project's own tests run inside its temporary install (test/consumer), not here.
    exclude: [...configDefaults.exclude, 'test/consumer/project/**', 'test/consumer/cjs-project/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Integration files each start an embedded PostgreSQL; two at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
