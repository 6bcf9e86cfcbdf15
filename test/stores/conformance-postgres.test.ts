import { afterAll, expect, test } from 'vitest';
import { PostgresStore } from '../../src/postgres.js';
import { runStoreConformance } from '../../src/testing/index.js';
import { dropTables, postgresPool, uniqueTablePrefix } from './helpers/postgres.js';

const pool = postgresPool();
const nextPrefix = uniqueTablePrefix('conf');
const prefixes = new WeakMap<object, string>();

afterAll(async () => {
  await pool.end();
});

runStoreConformance({
  name: 'postgres',
  createStore: async () => {
    const tablePrefix = nextPrefix();
    const store = new PostgresStore(pool, { tablePrefix });
    prefixes.set(store, tablePrefix);
    await store.migrate();
    return store;
  },
  test,
  expect,
  teardown: async (store) => {
    const prefix = prefixes.get(store);
    if (prefix) await dropTables(pool, prefix);
  },
});
