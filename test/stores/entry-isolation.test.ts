import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

/** A resolve hook that fails any import of a store driver, registered before the entry is loaded. */
const hook = `
export async function resolve(specifier, context, next) {
  if (/^(pg|ioredis|better-sqlite3)(\\/|$)/.test(specifier)) throw new Error('driver loaded: ' + specifier);
  return next(specifier, context);
}`;

const importWithoutDrivers = (entry: string) =>
  run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { register } from 'node:module';
       register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
       await import(${JSON.stringify(join(root, entry))});`,
    ],
    { cwd: root },
  );

test('the core and /testing entries load without any store driver installed', async () => {
  await expect(importWithoutDrivers('src/index.ts')).resolves.toBeDefined();
  await expect(importWithoutDrivers('src/testing/index.ts')).resolves.toBeDefined();
});

test('/redis, /postgres, /sqlite and /d1 import only driver types (/sqlite loads better-sqlite3 when it opens a path)', async () => {
  await expect(importWithoutDrivers('src/redis.ts')).resolves.toBeDefined();
  await expect(importWithoutDrivers('src/postgres.ts')).resolves.toBeDefined();
  await expect(importWithoutDrivers('src/sqlite.ts')).resolves.toBeDefined();
  await expect(importWithoutDrivers('src/d1.ts')).resolves.toBeDefined();
});
