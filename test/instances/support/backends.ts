import { afterEach } from 'vitest';
import { PostgresStore } from '../../../src/postgres.js';
import { RedisStore } from '../../../src/redis.js';
import { type SqliteDriverName, SqliteStore } from '../../../src/sqlite.js';
import type { IdentityStore } from '../../../src/stores/contract.js';
import { openRaw, type RawSqlite, runnableSqliteDrivers } from '../../stores/fixtures/sqlite-drivers.js';
import { dropTables, POSTGRES, postgresPool, uniqueTablePrefix } from '../../stores/helpers/postgres.js';
import { deleteKeys, REDIS_URL, redisClient, uniquePrefix } from '../../stores/helpers/redis.js';
import { type Switchable, tcpProxy } from '../../stores/helpers/tcp.js';
import { tempDir } from '../../stores/helpers/temp-dir.js';
import { openD1Backend } from './d1.js';
import { openRedisCluster } from './redis-cluster.js';

/** The shared stores under test: each app instance reaches them through a connection of its own. */
export type BackendName = 'redis' | 'redis-cluster' | 'postgres' | 'sqlite' | 'node-sqlite' | 'd1';

/** The instance-test backend of each SQLite driver. */
const SQLITE_BACKENDS = { 'better-sqlite3': 'sqlite', 'node:sqlite': 'node-sqlite' } as const;

/** Every backend, for `describe.each`. */
export const BACKENDS: readonly BackendName[] = [
  'redis',
  'redis-cluster',
  'postgres',
  // SQLite once per driver this Node runs (the skipped ones are printed with the reason), and D1 in workerd.
  ...runnableSqliteDrivers().map((driver) => SQLITE_BACKENDS[driver]),
  'd1',
];

/** A way to make the backend unreachable for every store built by `connect`, and to bring it back. */
export interface Outage {
  begin(): Promise<void>;
  end(): Promise<void>;
}

/** One shared state (a key prefix, a set of tables, a file) and the connections opened to it. */
export interface Backend {
  readonly name: BackendName;
  /** A store on a new connection (ioredis client, pg pool, SQLite handle) to the shared state. */
  connect(): Promise<IdentityStore>;
  /** Cuts every connection `connect` made (a stopped proxy; for SQLite, another process's write lock). */
  readonly outage: Outage;
}

/** Options of {@link openBackend}. */
export interface BackendOptions {
  /** Each store call's upper bound; short in outage tests so that failures come fast. */
  timeoutMs?: number;
}

const disposers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

const nextRedisPrefix = uniquePrefix('instances');
const nextTablePrefix = uniqueTablePrefix('inst');

/** Open a fresh shared state on a backend; closed and deleted after the test. */
export async function openBackend(name: BackendName, options: BackendOptions = {}): Promise<Backend> {
  if (name === 'redis') return openRedis(options);
  if (name === 'redis-cluster') return openRedisCluster(options, nextRedisPrefix(), disposers);
  if (name === 'postgres') return openPostgres(options);
  if (name === 'd1') return openD1Backend(options, disposers);
  return openSqlite(name, options);
}

async function proxied(target: {
  host: string;
  port: number;
}): Promise<{ proxy: Switchable; outage: Outage }> {
  const proxy = await tcpProxy(target);
  await proxy.start();
  disposers.push(() => proxy.stop());
  return { proxy, outage: { begin: () => proxy.stop(), end: () => proxy.start() } };
}

async function openRedis(options: BackendOptions): Promise<Backend> {
  const prefix = nextRedisPrefix();
  const admin = redisClient();
  disposers.push(async () => {
    await deleteKeys(admin, prefix);
    await admin.quit();
  });
  const { proxy, outage } = await proxied(REDIS_URL);
  return {
    name: 'redis',
    outage,
    async connect() {
      // ioredis defaults, except a quick reconnect so that recovery does not wait for its backoff.
      const client = redisClient({ port: proxy.port, retryStrategy: () => 20 });
      disposers.push(async () => client.disconnect());
      return new RedisStore(client, { prefix, timeoutMs: options.timeoutMs });
    },
  };
}

async function openPostgres(options: BackendOptions): Promise<Backend> {
  const prefix = nextTablePrefix();
  const admin = postgresPool({ max: 1 });
  disposers.push(async () => {
    await dropTables(admin, prefix);
    await admin.end();
  });
  const { proxy, outage } = await proxied(POSTGRES);
  return {
    name: 'postgres',
    outage,
    async connect() {
      const pool = postgresPool({ port: proxy.port, max: 4 });
      disposers.push(() => pool.end());
      const store = new PostgresStore(pool, { tablePrefix: prefix, timeoutMs: options.timeoutMs });
      // Every instance migrates at startup, as a deployment would; the advisory lock serialises them.
      await store.migrate();
      return store;
    },
  };
}

async function openSqlite(name: 'sqlite' | 'node-sqlite', options: BackendOptions): Promise<Backend> {
  const driver: SqliteDriverName = name === 'sqlite' ? 'better-sqlite3' : 'node:sqlite';
  const dir = tempDir('instances');
  const file = `${dir.path}/identity.db`;
  const stores: SqliteStore[] = [];
  let locker: RawSqlite | null = null;
  disposers.push(async () => {
    locker?.close();
    for (const store of stores) await store.close();
    dir.remove();
  });
  return {
    name,
    outage: {
      // What another process holding the write lock does to this one: writes wait, then fail.
      async begin() {
        locker = openRaw(driver, file);
        locker.exec('BEGIN EXCLUSIVE');
      },
      async end() {
        locker?.exec('COMMIT');
        locker?.close();
        locker = null;
      },
    },
    async connect() {
      const store = new SqliteStore(file, { timeoutMs: options.timeoutMs, driver });
      stores.push(store);
      return store;
    },
  };
}
