/**
 * The stores the store benchmark compares, each on its own connection, each counting the requests its
 * driver sends (one request = one network round trip), so that the benchmark can print round trips per
 * event beside events per second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import pg from 'pg';
import { type IdentityStore, MemoryStore } from '../src/index.js';
import { PostgresStore } from '../src/postgres.js';
import { RedisStore } from '../src/redis.js';
import { SqliteStore } from '../src/sqlite.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CLUSTER_NODES = [7000, 7001, 7002].map((port) => ({ host: '127.0.0.1', port }));
const TAG = `sik_bench_${process.pid}_`;

/** A store under test and the number of driver requests it has sent so far (null: in-process). */
export interface Candidate {
  label: string;
  store: IdentityStore;
  requests: (() => number) | null;
  dispose(): Promise<void>;
}
export type Opened = Candidate | { label: string; unreachable: string };

const reason = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/**
 * The same store without its optional fused operations: what the webhook path costs on the required
 * methods alone (the path before issue 13), measured in the same run.
 */
export function requiredOnly(candidate: Candidate): Candidate {
  const hidden = new Set<PropertyKey>(['claimEventWithSession', 'writeSession', 'settleEvents']);
  const store = new Proxy(candidate.store, {
    get(target, property) {
      if (hidden.has(property)) return undefined;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { ...candidate, label: `${candidate.label}, required methods only`, store, dispose: async () => {} };
}

/** Counts every command an ioredis client (or cluster) sends. */
function countCommands(client: Redis | Cluster): () => number {
  let sent = 0;
  const send = client.sendCommand.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { sendCommand: (...args: unknown[]) => unknown }).sendCommand = (...args) => {
    sent += 1;
    return send(...args);
  };
  return () => sent;
}

async function scanDelete(node: Redis): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', `${TAG}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) await node.del(key);
  } while (cursor !== '0');
}

export async function openRedis(): Promise<Opened> {
  const label = `redis (${REDIS_URL.replace(/\/\/[^@]*@/, '//')})`;
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  // The 'error' event says why (ECONNREFUSED); the rejected connect() only says the connection closed.
  let cause: unknown;
  client.on('error', (error) => {
    cause = error;
  });
  const store = new RedisStore(client, { prefix: `${TAG}:` });
  try {
    await client.connect();
    await store.verify();
  } catch (error) {
    client.disconnect();
    return { label, unreachable: reason(cause ?? error) };
  }
  const dispose = async () => {
    await scanDelete(client);
    await client.quit();
  };
  return { label, store, requests: countCommands(client), dispose };
}

export async function openRedisCluster(): Promise<Opened> {
  const label = 'redis cluster (3 masters, 127.0.0.1:7000-7002)';
  const cluster = new Cluster(CLUSTER_NODES, {
    clusterRetryStrategy: () => null,
    redisOptions: { connectTimeout: 2000, maxRetriesPerRequest: 1 },
  });
  let cause: unknown;
  cluster.on('error', (error) => {
    cause = error;
  });
  const store = new RedisStore(cluster, { prefix: `${TAG}:` });
  try {
    await store.verify();
  } catch (error) {
    cluster.disconnect();
    return { label, unreachable: `${reason(cause ?? error)} (start it: bash .ci/redis-cluster.sh)` };
  }
  const dispose = async () => {
    for (const node of cluster.nodes('master')) await scanDelete(node);
    await cluster.quit();
  };
  return { label, store, requests: countCommands(cluster), dispose };
}

export async function openPostgres(): Promise<Opened> {
  const label = `postgres (${POSTGRES_URL.replace(/\/\/[^@]*@/, '//')})`;
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 8, connectionTimeoutMillis: 2000 });
  pool.on('error', () => {});
  let sent = 0;
  // Every statement goes through a pooled client's query(), whether through pool.query or a transaction.
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      sent += 1;
      return query(...args);
    };
  });
  const store = new PostgresStore(pool, { tablePrefix: TAG });
  try {
    await store.migrate();
  } catch (error) {
    await pool.end().catch(() => {});
    return { label, unreachable: reason(error) };
  }
  const dispose = async () => {
    const { rows } = await pool.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND left(table_name, length($1)) = $1`,
      [TAG.toLowerCase()],
    );
    if (rows.length > 0) await pool.query(`DROP TABLE ${rows.map((row) => row.name).join(', ')}`);
    await pool.end();
  };
  return { label, store, requests: () => sent, dispose };
}

export function openSqlite(): Opened {
  const dir = mkdtempSync(join(tmpdir(), 'sik-bench-'));
  const store = new SqliteStore(join(dir, 'identity.db'));
  const dispose = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { label: 'sqlite (file, WAL)', store, requests: null, dispose };
}

export function openMemory(): Opened {
  return { label: 'memory (baseline)', store: new MemoryStore(), requests: null, dispose: async () => {} };
}
