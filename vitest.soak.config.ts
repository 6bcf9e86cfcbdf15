import { defineConfig } from 'vitest/config';

/**
 * `npm run test:soak`: the reliability suite in its long form (SIK_SOAK=1 scales every run up: 100,000
 * webhook events and 10,000 journeys per shared store in soak.test.ts), one file at a time so that the
 * figures are not shared with other suites, with `--expose-gc` for the heap check.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    execArgv: ['--expose-gc'],
    env: { SIK_SOAK: '1' },
  },
});
