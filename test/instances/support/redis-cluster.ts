import { RedisStore } from '../../../src/redis.js';
import { CLUSTER_NODES, deleteClusterKeys, redisClusterClient } from '../../stores/helpers/redis-cluster.js';
import { tcpProxy } from '../../stores/helpers/tcp.js';
import type { Backend, BackendOptions } from './backends.js';

/**
 * The three-master cluster of `.ci/redis-cluster.sh`, each master behind a switchable proxy. Clients reach
 * the proxies through ioredis's `natMap`, so the outage cuts every node at once, as a network partition
 * between the app and the cluster would.
 */
export async function openRedisCluster(
  options: BackendOptions,
  prefix: string,
  disposers: Array<() => Promise<void>>,
): Promise<Backend> {
  const admin = redisClusterClient();
  disposers.push(async () => {
    await deleteClusterKeys(admin, prefix);
    await admin.quit();
  });
  const proxies = await Promise.all(CLUSTER_NODES.map((node) => tcpProxy(node)));
  for (const proxy of proxies) {
    await proxy.start();
    disposers.push(() => proxy.stop());
  }
  const natMap = Object.fromEntries(
    CLUSTER_NODES.map((node, index) => [
      `${node.host}:${node.port}`,
      { host: '127.0.0.1', port: proxies[index]?.port ?? node.port },
    ]),
  );
  return {
    name: 'redis-cluster',
    outage: {
      begin: async () => {
        await Promise.all(proxies.map((proxy) => proxy.stop()));
      },
      end: async () => {
        await Promise.all(proxies.map((proxy) => proxy.start()));
      },
    },
    async connect() {
      const client = redisClusterClient({ natMap, clusterRetryStrategy: () => 20 });
      disposers.push(async () => client.disconnect());
      return new RedisStore(client, { prefix, timeoutMs: options.timeoutMs });
    },
  };
}
