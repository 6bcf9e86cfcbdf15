import { Redis } from 'ioredis';
import pg from 'pg';
import { PostgresStore } from '../../../src/postgres.js';
import { RedisStore } from '../../../src/redis.js';
import type { IdentityStore } from '../../../src/stores/contract.js';
import { dropTables, POSTGRES, postgresPool, uniqueTablePrefix } from '../../stores/helpers/postgres.js';
import { deleteKeys, REDIS_URL, redisClient, uniquePrefix } from '../../stores/helpers/redis.js';

/** A shared store whose app connections a test can cut for real, as a failover or a proxy would. */
export interface KillableBackend {
  readonly name: 'redis' | 'postgres';
  /** A store on a connection of its own (one per app instance). */
  connect(): Promise<IdentityStore>;
  /** Kills every app connection at the server (`CLIENT KILL` / `pg_terminate_backend`); returns how many. */
  killConnections(): Promise<number>;
  dispose(): Promise<void>;
}

const nextPrefix = uniquePrefix('reliability');
const nextTables = uniqueTablePrefix('rel');

/** Redis: app clients carry a connection name, so that only they are killed (never another test's). */
export async function redisBackend(timeoutMs = 2000): Promise<KillableBackend> {
  const prefix = nextPrefix();
  const name = `sik-rel-${process.pid}-${prefix.split(':').at(-2)}`;
  const admin = redisClient();
  const clients: Redis[] = [];
  return {
    name: 'redis',
    async connect() {
      const client = new Redis({ ...REDIS_URL, connectionName: name, retryStrategy: () => 10 });
      client.on('error', () => {});
      clients.push(client);
      return new RedisStore(client, { prefix, timeoutMs });
    },
    async killConnections() {
      const list = await admin.client('LIST');
      const ids = String(list)
        .split('\n')
        .filter((line) => line.includes(` name=${name} `))
        .map((line) => /\bid=(\d+)/.exec(line)?.[1])
        .filter((id): id is string => id !== undefined);
      for (const id of ids) await admin.client('KILL', 'ID', id).catch(() => 0);
      return ids.length;
    },
    async dispose() {
      for (const client of clients) client.disconnect();
      await deleteKeys(admin, prefix);
      await admin.quit();
    },
  };
}

/** PostgreSQL: app pools carry an application_name, so that only they are terminated. */
export async function postgresBackend(timeoutMs = 2000): Promise<KillableBackend> {
  const tablePrefix = nextTables();
  const application = `sik_rel_${process.pid}_${tablePrefix}`;
  const admin = postgresPool({ max: 1 });
  const pools: pg.Pool[] = [];
  return {
    name: 'postgres',
    async connect() {
      const pool = new pg.Pool({ ...POSTGRES, max: 4, application_name: application });
      pool.on('error', () => {});
      pools.push(pool);
      const store = new PostgresStore(pool, { tablePrefix, timeoutMs });
      await store.migrate();
      return store;
    },
    async killConnections() {
      const { rows } = await admin.query<{ killed: boolean }>(
        'SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1',
        [application],
      );
      return rows.filter((row) => row.killed).length;
    },
    async dispose() {
      for (const pool of pools) await pool.end().catch(() => {});
      await dropTables(admin, tablePrefix);
      await admin.end();
    },
  };
}
