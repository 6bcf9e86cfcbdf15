import { defineConfig } from 'tsup';

/** One entry per public subpath; drivers stay external so importing the core never loads them. */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    testing: 'src/testing/index.ts',
    sqlite: 'src/sqlite.ts',
    redis: 'src/redis.ts',
    postgres: 'src/postgres.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  external: ['stripe', 'zod', 'nock', 'better-sqlite3', 'ioredis', 'pg'],
});
