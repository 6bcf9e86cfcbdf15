import { afterAll, expect, test } from 'vitest';
import { RedisStore } from '../../src/redis.js';
import { runStoreConformance } from '../../src/testing/index.js';
import { deleteKeys, redisClient, uniquePrefix } from './helpers/redis.js';

const client = redisClient();
const nextPrefix = uniquePrefix('conformance-redis');
const prefixes = new WeakMap<object, string>();

afterAll(async () => {
  await client.quit();
});

runStoreConformance({
  name: 'redis',
  createStore: () => {
    const prefix = nextPrefix();
    const store = new RedisStore(client, { prefix });
    prefixes.set(store, prefix);
    return store;
  },
  test,
  expect,
  teardown: async (store) => {
    const prefix = prefixes.get(store);
    if (prefix) await deleteKeys(client, prefix);
  },
});
