import { defineConfig } from 'tsup';

/**
 * One entry per public subpath; drivers and frameworks stay external so importing the core never loads
 * them (each is an optional peer of the subpath that needs it).
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    testing: 'src/testing/index.ts',
    sqlite: 'src/sqlite.ts',
    redis: 'src/redis.ts',
    postgres: 'src/postgres.ts',
    d1: 'src/d1.ts',
    // The `stripe-identity-kit` binary (package.json `bin`); its shebang is kept by esbuild.
    cli: 'src/cli/index.ts',
    express: 'src/express.ts',
    fastify: 'src/fastify.ts',
    hono: 'src/hono.ts',
    next: 'src/next.ts',
    auth: 'src/auth.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  external: [
    'stripe',
    'zod',
    'nock',
    'better-sqlite3',
    'ioredis',
    'pg',
    'express',
    'fastify',
    'hono',
    /^hono\//,
    'jose',
  ],
});
