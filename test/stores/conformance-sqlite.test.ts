import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { SqliteStore } from '../../src/sqlite.js';
import type { IdentityStore } from '../../src/stores/contract.js';
import { runStoreConformance } from '../../src/testing/index.js';
import { tempDir } from './helpers/temp-dir.js';

const dir = tempDir('conformance-sqlite');
afterAll(() => dir.remove());

const close = async (store: IdentityStore) => {
  await store.close?.();
};

let files = 0;
runStoreConformance({
  name: 'sqlite file',
  createStore: () => {
    files += 1;
    return new SqliteStore(join(dir.path, `store-${files}.db`));
  },
  test,
  expect,
  teardown: close,
});

runStoreConformance({
  name: 'sqlite :memory:',
  createStore: () => new SqliteStore(':memory:', { tablePrefix: 'kit_' }),
  test,
  expect,
  teardown: close,
});
