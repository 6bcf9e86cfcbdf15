import { afterAll, expect, test } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { RedisStore } from '../../src/redis.js';
import { runStoreConformance } from '../../src/testing/index.js';
import { uniquePrefix } from './helpers/redis.js';
import { deleteClusterKeys, redisClusterClient } from './helpers/redis-cluster.js';

// The three-master cluster of `.ci/redis-cluster.sh` (CI starts it; run the script once locally).
const cluster = redisClusterClient();
const prefixedCluster = redisClusterClient({ keyPrefix: 'sik-test:cluster-client-prefix:' });
const nextPrefix = uniquePrefix('conformance-redis-cluster');
const prefixes = new WeakMap<object, string>();

afterAll(async () => {
  await cluster.quit();
  await prefixedCluster.quit();
});

runStoreConformance({
  name: 'redis cluster',
  createStore: () => {
    const prefix = nextPrefix();
    const store = new RedisStore(cluster, { prefix });
    prefixes.set(store, prefix);
    return store;
  },
  test,
  expect,
  teardown: async (store) => {
    const prefix = prefixes.get(store);
    if (prefix) await deleteClusterKeys(cluster, prefix);
  },
});

runStoreConformance({
  name: 'redis cluster (client keyPrefix)',
  createStore: () => {
    const prefix = nextPrefix();
    const store = new RedisStore(prefixedCluster, { prefix });
    prefixes.set(store, `sik-test:cluster-client-prefix:${prefix}`);
    return store;
  },
  test,
  expect,
  teardown: async (store) => {
    const prefix = prefixes.get(store);
    if (prefix) await deleteClusterKeys(cluster, prefix);
  },
});

test('the keys of one user spread over the masters by user, and a braced prefix is refused', async () => {
  const prefix = nextPrefix();
  const store = new RedisStore(cluster, { prefix });
  for (let user = 0; user < 30; user += 1) {
    const owner = `k1:user_${user}`;
    const slot = await store.reserveSessionSlot(owner, { limit: 3, windowMs: 1000, now: 1, leaseMs: 1000 });
    if (slot.outcome !== 'reserved') throw new Error('expected a reservation');
    await store.commitSessionSlot(owner, slot.reservationId, {
      sessionId: `vs_${user}`,
      owner,
      status: 'requires_input',
      lastErrorCode: null,
      reportId: null,
      observedAt: 1,
      createdAt: 1,
      updatedAt: 1,
      livemode: false,
      redaction: null,
    });
  }
  const perNode = await Promise.all(
    cluster.nodes('master').map(async (node) => (await node.keys(`${prefix}*`)).length),
  );
  expect(perNode.every((count) => count > 0)).toBe(true);
  expect((await store.listSessions('k1:user_7')).map((record) => record.sessionId)).toEqual(['vs_7']);
  await deleteClusterKeys(cluster, prefix);
  expect(() => new RedisStore(cluster, { prefix: 'app{1}:' })).toThrow(ConfigError);
});
