import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Store suites share the real Redis/PostgreSQL servers; each test file uses its own prefix.
    fileParallelism: true,
    pool: 'forks',
  },
});
