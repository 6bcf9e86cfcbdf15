import { Cluster, type ClusterOptions } from 'ioredis';

/** The local three-master cluster that `.ci/redis-cluster.sh` starts. */
export const CLUSTER_NODES = [7000, 7001, 7002].map((port) => ({ host: '127.0.0.1', port }));

/** A cluster client that does not print "Unhandled error event" when a node goes away. */
export function redisClusterClient(options: ClusterOptions = {}): Cluster {
  const cluster = new Cluster(CLUSTER_NODES, options);
  cluster.on('error', () => {});
  return cluster;
}

/** Deletes every key under `prefix` on every master; returns how many there were. */
export async function deleteClusterKeys(cluster: Cluster, prefix: string): Promise<number> {
  let deleted = 0;
  for (const node of cluster.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      // Keys of one node may sit in several slots: delete one by one (DEL of many needs one slot).
      for (const key of keys) deleted += await node.del(key);
    } while (cursor !== '0');
  }
  return deleted;
}
