import { afterAll, expect, test } from 'vitest';
import { RedisStore } from '../../src/redis.js';
import { runStoreConformance } from '../../src/testing/index.js';
import { deleteKeys, redisClient, uniquePrefix } from './helpers/redis.js';

const client = redisClient();
// ioredis prefixes KEYS by itself but not the keys a script builds: the store must cope with both.
const prefixedClient = redisClient({ keyPrefix: 'sik-test:client-prefix:' });
const nextPrefix = uniquePrefix('conformance-redis');
const prefixes = new WeakMap<object, string>();

afterAll(async () => {
  await client.quit();
  await prefixedClient.quit();
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

runStoreConformance({
  name: 'redis (client keyPrefix)',
  createStore: () => {
    const prefix = nextPrefix();
    const store = new RedisStore(prefixedClient, { prefix });
    prefixes.set(store, `sik-test:client-prefix:${prefix}`);
    return store;
  },
  test,
  expect,
  teardown: async (store) => {
    const prefix = prefixes.get(store);
    if (prefix) await deleteKeys(client, prefix);
  },
});
