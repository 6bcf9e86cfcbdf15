import { afterAll, describe, expect, test } from 'vitest';
import { D1Store } from '../../src/d1.js';
import { ConfigError, StoreUnavailableError, StoreUnsupportedError } from '../../src/errors.js';
import { startD1 } from './fixtures/d1.js';
import { outcomes } from './helpers/every-method.js';
import { tempDir } from './helpers/temp-dir.js';

const NOW = 1_767_225_600_000;
const record = (sessionId: string) => ({
  sessionId,
  owner: 'h1:owner',
  status: 'requires_input' as const,
  lastErrorCode: null,
  reportId: null,
  observedAt: 1,
  createdAt: NOW,
  updatedAt: NOW,
  livemode: false,
  redaction: null,
});
const slot = { limit: 3, windowMs: 60_000, now: NOW, leaseMs: 10_000 };
const dir = tempDir('d1');
afterAll(() => dir.remove());

/*
 * These tests use miniflare's own binding proxy (`getD1Database`), the object a Worker's `env.DB` is, to
 * show the store needs nothing else; the conformance suite uses the faster bridge of fixtures/d1.ts.
 */
describe('D1Store on the D1 that miniflare runs', () => {
  test('declares itself atomic, shared and durable', async () => {
    const d1 = await startD1();
    const store = new D1Store(await d1.binding());
    expect(store.capabilities).toEqual({ atomic: true, sharedAcrossProcesses: true, durable: true });
    await d1.dispose();
  });

  test('before the migration every call fails with StoreUnsupportedError naming it; migrate() twice is fine', async () => {
    const d1 = await startD1();
    const store = new D1Store(await d1.binding(), { timeoutMs: 30_000 });
    const failed = await outcomes(store);
    expect(new Set(Object.values(failed))).toEqual(new Set(['store_unsupported']));
    await expect(store.getSession('vs_1')).rejects.toThrow(/migrate\(\)|migrations apply/);
    await store.migrate();
    await store.migrate();
    expect(await store.insertSession(record('vs_1'))).toMatchObject({ sessionId: 'vs_1', version: 1 });
    await d1.dispose();
  });

  test("migrationSql() applies as wrangler applies a migration file, through D1's exec", async () => {
    const d1 = await startD1();
    const db = d1.mf.getD1Database('DB');
    const sql = D1Store.migrationSql({ tablePrefix: 'app_' });
    expect(sql).toMatch(/^CREATE TABLE IF NOT EXISTS app_sessions/);
    await (await db).exec(sql);
    const store = new D1Store(await d1.binding(), { tablePrefix: 'app_', timeoutMs: 30_000 });
    expect((await store.reserveSessionSlot('subj', slot)).outcome).toBe('reserved');
    expect(() => D1Store.migrationSql({ tablePrefix: 'x; DROP TABLE y' })).toThrow(ConfigError);
    await d1.dispose();
  });

  test('two Worker instances (two bindings) share limits and claims; the state outlives a restart', async () => {
    const persistTo = `${dir.path}/persist`;
    const first = await startD1({ persistTo });
    const a = new D1Store(await first.binding(), { timeoutMs: 30_000 });
    const b = new D1Store(await first.binding(), { timeoutMs: 30_000 });
    await a.migrate();
    const reserved = await a.reserveSessionSlot('subj', slot);
    expect(await b.reserveSessionSlot('subj', { ...slot, now: NOW + 1 })).toEqual({
      outcome: 'busy',
      until: NOW + slot.leaseMs,
    });
    if (reserved.outcome !== 'reserved') throw new Error('expected a reservation');
    expect(await b.commitSessionSlot('subj', reserved.reservationId, record('vs_1'))).toBe(true);
    expect(await a.claimEvent('evt', { now: NOW, leaseMs: 100 })).toBe('claimed');
    expect(await b.claimEvent('evt', { now: NOW, leaseMs: 100 })).toBe('in_flight');
    await first.dispose();

    const second = await startD1({ persistTo });
    const reopened = new D1Store(await second.binding(), { timeoutMs: 30_000 });
    expect((await reopened.getSession('vs_1'))?.version).toBe(1);
    const next = await reopened.reserveSessionSlot('subj', { ...slot, now: NOW + 2 });
    expect(next.outcome === 'reserved' && next.ordinal).toBe(2);
    await second.dispose();
  });

  test('a D1 that cannot be reached fails every call with StoreUnavailableError; prune() keeps ordinals', async () => {
    const d1 = await startD1();
    const connection = d1.connect();
    const store = new D1Store(connection.db, { timeoutMs: 30_000 });
    await store.migrate();
    const input = { limit: 10, windowMs: 1000, leaseMs: 10 };
    for (const at of [NOW, NOW + 500]) {
      const reserved = await store.reserveSessionSlot('subj', { ...input, now: at });
      if (reserved.outcome !== 'reserved') throw new Error('expected a reservation');
      await store.commitSessionSlot('subj', reserved.reservationId, { ...record(`vs_${at}`), createdAt: at });
      await store.recordSubmission('subj', { reportId: `vr_${at}`, at });
    }
    await store.claimEvent('evt_old', { now: NOW, leaseMs: 100 });
    await store.completeEvent('evt_kept', { now: NOW, retainMs: 10_000 });
    expect(await store.prune({ now: NOW + 1200, windowMs: 1000 })).toEqual({ ledgerEntries: 2, events: 1 });
    const next = await store.reserveSessionSlot('subj', { ...input, now: NOW + 1200 });
    expect(next.outcome === 'reserved' && next.ordinal).toBe(3);

    connection.cut();
    const failed = await outcomes(store);
    expect(new Set(Object.values(failed))).toEqual(new Set(['store_unavailable']));
    await expect(store.getSession('vs_1')).rejects.toBeInstanceOf(StoreUnavailableError);
    connection.restore();
    expect(await store.getSession(`vs_${NOW}`)).not.toBe(null);
    await d1.dispose();
  });

  test('refuses a table prefix that could inject SQL, and a bad timeout', async () => {
    const d1 = await startD1();
    const db = await d1.binding();
    expect(() => new D1Store(db, { tablePrefix: 'x; DROP TABLE y' })).toThrow(ConfigError);
    expect(() => new D1Store(db, { timeoutMs: 0 })).toThrow(ConfigError);
    await d1.dispose();
  });
});

test('StoreUnsupportedError is what a missing table means, whatever the operation', async () => {
  const d1 = await startD1();
  const store = new D1Store(d1.connect().db);
  await expect(store.claimEvent('evt', { now: NOW, leaseMs: 1 })).rejects.toBeInstanceOf(
    StoreUnsupportedError,
  );
  await d1.dispose();
});
