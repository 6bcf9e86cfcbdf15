import type pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { ConfigError, StoreUnsupportedError } from '../../src/errors.js';
import { PostgresStore } from '../../src/postgres.js';
import { allRejectedWith, outcomes } from './helpers/every-method.js';
import { dropTables, POSTGRES, postgresPool, uniqueTablePrefix } from './helpers/postgres.js';
import { closedPort, stalledServer, tcpProxy } from './helpers/tcp.js';

const NOW = 1_767_225_600_000;
const pool = postgresPool();
const nextPrefix = uniqueTablePrefix('pgstore');

const record = (sessionId: string, createdAt: number) => ({
  sessionId,
  owner: 'user_1',
  status: 'requires_input' as const,
  lastErrorCode: null,
  reportId: null,
  observedAt: 1,
  createdAt,
  updatedAt: createdAt,
  livemode: false,
  redaction: null,
});

/** A migrated store on fresh tables, dropped after `body`. */
async function withTables(body: (store: PostgresStore, prefix: string) => Promise<void>): Promise<void> {
  const prefix = nextPrefix();
  const store = new PostgresStore(pool, { tablePrefix: prefix });
  try {
    await store.migrate();
    await body(store, prefix);
  } finally {
    await dropTables(pool, prefix);
  }
}

afterAll(async () => {
  await pool.end();
});

describe('PostgresStore', () => {
  test('declares that it is atomic, shared and durable', () => {
    expect(new PostgresStore(pool).capabilities).toEqual({
      atomic: true,
      sharedAcrossProcesses: true,
      durable: true,
    });
  });

  test('refuses a table prefix that could inject SQL, and a bad timeout', () => {
    for (const tablePrefix of ['sik; DROP TABLE users; --', 'a-b', '1abc', 'x"y', '']) {
      expect(() => new PostgresStore(pool, { tablePrefix })).toThrow(ConfigError);
    }
    expect(() => new PostgresStore(pool, { timeoutMs: 0 })).toThrow(ConfigError);
    expect(() => new PostgresStore(pool, { timeoutMs: 1.5 })).toThrow(ConfigError);
  });

  test('migrate() is idempotent and safe when several instances run it at once', async () => {
    const prefix = nextPrefix();
    try {
      const stores = Array.from({ length: 6 }, () => new PostgresStore(pool, { tablePrefix: prefix }));
      await Promise.all(stores.map((store) => store.migrate()));
      await stores[0]?.migrate();
      const { rows } = await pool.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM information_schema.tables WHERE left(table_name, length($1)) = $1`,
        [prefix],
      );
      expect(rows[0]?.count).toBe(6);
      await stores[1]?.insertSession(record('vs_1', NOW));
      expect((await stores[2]?.getSession('vs_1'))?.version).toBe(1);
    } finally {
      await dropTables(pool, prefix);
    }
  });

  test('without migrate(), every method fails with StoreUnsupportedError naming the fix', async () => {
    const store = new PostgresStore(pool, { tablePrefix: nextPrefix() });
    expect(await outcomes(store)).toEqual(allRejectedWith('store_unsupported'));
    await expect(store.getSession('vs_1')).rejects.toThrow(/migrate\(\)/);
  });

  test('verify() refuses a server older than PostgreSQL 12', async () => {
    const old = { query: async () => ({ rows: [{ version: 110_022 }] }) } as unknown as pg.Pool;
    await expect(new PostgresStore(old).verify()).rejects.toBeInstanceOf(StoreUnsupportedError);
    await expect(new PostgresStore(pool).verify()).resolves.toBeUndefined();
  });

  test('a refused port: every method rejects with StoreUnavailableError', async () => {
    const down = postgresPool({ port: await closedPort() });
    try {
      expect(await outcomes(new PostgresStore(down, { timeoutMs: 500 }))).toEqual(
        allRejectedWith('store_unavailable'),
      );
    } finally {
      await down.end();
    }
  });

  test('a server that accepts but never answers: every method rejects within the timeout', async () => {
    const stalled = await stalledServer();
    const hung = postgresPool({ port: stalled.port });
    try {
      expect(await outcomes(new PostgresStore(hung, { timeoutMs: 150 }))).toEqual(
        allRejectedWith('store_unavailable'),
      );
    } finally {
      await stalled.close();
      await hung.end();
    }
  });

  test('recovers when the server comes back', async () => {
    const prefix = nextPrefix();
    const proxy = await tcpProxy({ host: POSTGRES.host, port: POSTGRES.port });
    const flaky = postgresPool({ port: proxy.port });
    const store = new PostgresStore(flaky, { tablePrefix: prefix, timeoutMs: 1000 });
    try {
      expect(await outcomes(store)).toEqual(allRejectedWith('store_unavailable'));
      await proxy.start();
      await store.migrate();
      expect(await store.insertSession(record('vs_1', NOW))).toEqual({ ...record('vs_1', NOW), version: 1 });
      await proxy.stop();
      expect(await outcomes(store)).toEqual(allRejectedWith('store_unavailable'));
      await proxy.start();
      expect((await store.getSession('vs_1'))?.version).toBe(1);
    } finally {
      await proxy.stop();
      await flaky.end();
      await dropTables(pool, prefix);
    }
  });

  test('prune() drops ledger entries older than the window and expired event markers, keeping ordinals', () =>
    withTables(async (store) => {
      const input = { limit: 10, windowMs: 1000, leaseMs: 10 };
      for (const at of [NOW, NOW + 500]) {
        const slot = await store.reserveSessionSlot('subj', { ...input, now: at });
        if (slot.outcome !== 'reserved') throw new Error('expected a reservation');
        await store.commitSessionSlot('subj', slot.reservationId, record(`vs_${at}`, at));
        await store.recordSubmission('subj', { reportId: `vr_${at}`, at });
      }
      await store.claimEvent('evt_old', { now: NOW, leaseMs: 100 });
      await store.completeEvent('evt_kept', { now: NOW, retainMs: 10_000 });
      expect(await store.prune({ now: NOW + 1200, windowMs: 1000 })).toEqual({ ledgerEntries: 2, events: 1 });
      expect(await store.attemptUsage('subj', { now: NOW, windowMs: 10_000_000 })).toEqual({
        sessions: [NOW + 500],
        submissions: [NOW + 500],
      });
      expect(await store.claimEvent('evt_kept', { now: NOW + 1200, leaseMs: 100 })).toBe('done');
      const next = await store.reserveSessionSlot('subj', { ...input, now: NOW + 1200 });
      expect(next.outcome === 'reserved' && next.ordinal).toBe(3);
    }));
});
