import { Redis, type RedisOptions } from 'ioredis';

/** The machine's Redis (never stopped by these tests). */
export const REDIS_URL = { host: '127.0.0.1', port: 6379 };

/** A client that does not print "Unhandled error event" while a test points it at a dead port. */
export function redisClient(options: RedisOptions = {}): Redis {
  const client = new Redis({ ...REDIS_URL, ...options });
  client.on('error', () => {});
  return client;
}

/** A key prefix unique to this test file, this process and this call. */
export function uniquePrefix(tag: string): () => string {
  let count = 0;
  return () => {
    count += 1;
    return `sik-test:${tag}:${process.pid}:${count}:`;
  };
}

/** Deletes every key under `prefix`; returns how many there were. */
export async function deleteKeys(client: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await client.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
