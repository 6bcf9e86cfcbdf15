import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PostgresStore } from '../../src/postgres.js';
import { RedisStore } from '../../src/redis.js';
import type { VerificationService } from '../../src/service.js';
import { SqliteStore } from '../../src/sqlite.js';
import type { IdentityStore } from '../../src/stores/contract.js';
import { runnableSqliteDrivers } from '../stores/fixtures/sqlite-drivers.js';
import { dropTables, postgresPool, uniqueTablePrefix } from '../stores/helpers/postgres.js';
import { deleteKeys, redisClient, uniquePrefix } from '../stores/helpers/redis.js';
import { tempDir } from '../stores/helpers/temp-dir.js';
import { type Harness, harness } from '../support/harness.js';

/** A raw id that no hash, session id or timestamp could contain by chance. */
const RAW = 'raw-user-7f3a9c';

/** Verify, fail, verify again, then redact: every path that writes a record. */
async function journey(store: IdentityStore): Promise<Harness> {
  const h = await harness({
    store,
    service: { redaction: { hashSecret: 'raw-ids-test-hash-secret-0123456789' } },
  });
  const first = await h.service.start({ id: RAW });
  if (first.status !== 'redirect') throw new Error(`expected a link, got ${first.status}`);
  await h.sim.submit(first.sessionId, 'document_expired');
  await h.sim.flushWebhooks();
  await h.service.handleReturn(RAW, first.sessionId);
  await h.sim.submit(first.sessionId, 'verified');
  await h.sim.flushWebhooks();
  await redactAll(h.service);
  await h.sim.completeRedactions();
  await h.sim.flushWebhooks();
  return h;
}

async function redactAll(service: VerificationService) {
  const report = await service.redact(RAW);
  expect(report.sessions.length).toBe(1);
}

describe('no store keeps the raw user id, in any byte', () => {
  // Once per SQLite driver this Node runs (CI's Node 22 and 24 passes leave the native addon out).
  test.each(runnableSqliteDrivers())(
    'SQLite on %s: the database file, its WAL and shared memory, after redact() and close',
    async (driver) => {
      const dir = tempDir('raw-ids');
      try {
        const store = new SqliteStore(join(dir.path, 'identity.db'), { driver });
        await journey(store);
        await store.close();
        const files = readdirSync(dir.path);
        expect(files.length).toBeGreaterThan(0);
        for (const file of files) {
          expect(readFileSync(join(dir.path, file)).includes(Buffer.from(RAW))).toBe(false);
        }
      } finally {
        dir.remove();
      }
    },
  );

  test('Redis: every key and every value under the prefix', async () => {
    const client = redisClient();
    const prefix = uniquePrefix('raw-ids')();
    try {
      await journey(new RedisStore(client, { prefix }));
      const keys = await client.keys(`${prefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key.includes(RAW)).toBe(false);
        const dumped = await client.dumpBuffer(key);
        expect(dumped?.includes(Buffer.from(RAW)) ?? false).toBe(false);
      }
    } finally {
      await deleteKeys(client, prefix);
      client.disconnect();
    }
  });

  test('PostgreSQL: every row of every table of the store', async () => {
    const pool = postgresPool();
    const prefix = uniqueTablePrefix('rawids')();
    try {
      const store = new PostgresStore(pool, { tablePrefix: prefix });
      await store.migrate();
      await journey(store);
      const { rows: tables } = await pool.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE left(table_name, length($1)) = $1`,
        [prefix],
      );
      expect(tables.length).toBeGreaterThan(0);
      for (const { table_name } of tables) {
        const { rows } = await pool.query(`SELECT * FROM ${table_name}`);
        expect(JSON.stringify(rows).includes(RAW)).toBe(false);
      }
    } finally {
      await dropTables(pool, prefix);
      await pool.end();
    }
  });
});
