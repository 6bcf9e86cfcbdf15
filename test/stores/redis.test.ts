import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { StoreUnavailableError, StoreUnsupportedError } from '../../src/errors.js';
import { RedisStore } from '../../src/redis.js';
import { redisKeys, slotTag } from '../../src/stores/redis/keys.js';
import { allRejectedWith, outcomes } from './helpers/every-method.js';
import { deleteKeys, REDIS_URL, redisClient, uniquePrefix } from './helpers/redis.js';
import { closedPort, stalledServer, tcpProxy } from './helpers/tcp.js';

const NOW = 1_767_225_600_000;
const DAY = 24 * 60 * 60 * 1000;
const admin = redisClient();
const nextPrefix = uniquePrefix('redis-store');
const usedPrefixes: string[] = [];
const extraClients: Redis[] = [];

const fresh = (client: Redis = admin, timeoutMs?: number) => {
  const prefix = nextPrefix();
  usedPrefixes.push(prefix);
  return { prefix, store: new RedisStore(client, { prefix, timeoutMs }) };
};
const record = (sessionId: string) => ({
  sessionId,
  owner: 'user_1',
  status: 'requires_input' as const,
  lastErrorCode: null,
  reportId: null,
  observedAt: 1,
  createdAt: NOW,
  updatedAt: NOW,
  livemode: false,
  redaction: null,
});

afterEach(async () => {
  for (const client of extraClients.splice(0)) client.disconnect();
  for (const prefix of usedPrefixes.splice(0)) await deleteKeys(admin, prefix);
});
afterAll(async () => {
  await admin.quit();
});

describe('RedisStore', () => {
  test('declares that it is atomic, shared and durable, and verify() passes on a real server', async () => {
    const { store } = fresh();
    expect(store.capabilities).toEqual({ atomic: true, sharedAcrossProcesses: true, durable: true });
    await expect(store.verify()).resolves.toBeUndefined();
  });

  test('keeps every key under its prefix; claims and ledgers carry TTLs, session records do not', async () => {
    const { prefix, store } = fresh();
    const slot = await store.reserveSessionSlot('subj', {
      limit: 3,
      windowMs: 30 * DAY,
      now: NOW,
      leaseMs: 1000,
    });
    if (slot.outcome !== 'reserved') throw new Error('expected a reservation');
    await store.commitSessionSlot('subj', slot.reservationId, record('vs_1'));
    await store.recordSubmission('subj', { reportId: 'vr_1', at: NOW });
    await store.claimEvent('evt_1', { now: NOW, leaseMs: 30_000 });
    const keys = (await admin.keys(`${prefix}*`)).sort();
    const layout = redisKeys(prefix);
    const userTag = /\{([0-9a-f]{16})\}/.exec(layout.owner('user_1'))?.[1] ?? '';
    expect(keys).toEqual(
      [
        layout.event('evt_1'),
        layout.ledgerSessions('subj'),
        layout.submissions('subj'),
        layout.ledger('subj'),
        layout.owner('user_1'),
        layout.sessionPointer('vs_1'),
        layout.session(userTag, 'vs_1'),
      ].sort(),
    );
    // One subject's keys share one hash tag, so that each script touches one Redis Cluster slot.
    expect(layout.ledger('subj')).toMatch(/^sik-test:[^{]*ledger:\{[0-9a-f]{16}\}:subj$/);
    expect(layout.ledgerSessions('subj').match(/\{.*\}/)?.[0]).toBe(
      layout.ledger('subj').match(/\{.*\}/)?.[0],
    );
    expect(layout.owner('redacted:user_1').match(/\{.*\}/)?.[0]).toBe(`{${userTag}}`);
    const ttl = async (key: string) => admin.pttl(key);
    expect(await ttl(layout.session(userTag, 'vs_1'))).toBe(-1);
    expect(await ttl(layout.owner('user_1'))).toBe(-1);
    for (const key of [layout.ledger('subj'), layout.ledgerSessions('subj'), layout.submissions('subj')]) {
      const left = await ttl(key);
      expect(left > 30 * DAY && left <= 31 * DAY).toBe(true);
    }
    const eventTtl = await ttl(layout.event('evt_1'));
    expect(eventTtl > DAY && eventTtl <= DAY + 30_000).toBe(true);
  });

  test('trims counted sessions older than the window on each reservation', async () => {
    const { prefix, store } = fresh();
    const window = { limit: 5, windowMs: 1000, leaseMs: 10 };
    for (const now of [NOW, NOW + 100]) {
      const slot = await store.reserveSessionSlot('subj', { ...window, now });
      if (slot.outcome !== 'reserved') throw new Error('expected a reservation');
      await store.commitSessionSlot('subj', slot.reservationId, { ...record(`vs_${now}`), createdAt: now });
    }
    expect(await admin.zcard(redisKeys(prefix).ledgerSessions('subj'))).toBe(2);
    await store.reserveSessionSlot('subj', { ...window, now: NOW + 1050 });
    expect(await admin.zcard(redisKeys(prefix).ledgerSessions('subj'))).toBe(1);
  });

  test('stores only the record fields, never a url or client secret passed along by mistake', async () => {
    const { prefix, store } = fresh();
    const leaky = {
      ...record('vs_leak'),
      url: 'https://verify.stripe.com/start/secret',
      client_secret: 'vs_x_secret_y',
    };
    await store.insertSession(leaky);
    const stored = JSON.stringify(
      await admin.hgetall(redisKeys(prefix).session(slotTag(leaky.owner), 'vs_leak')),
    );
    expect(stored.includes('verify.stripe.com')).toBe(false);
    expect(stored.includes('secret')).toBe(false);
    expect(await store.getSession('vs_leak')).toEqual({ ...record('vs_leak'), version: 1 });
  });

  test('a server that refuses Lua scripts makes verify() and every method fail with StoreUnsupportedError', async () => {
    const client = redisClient();
    extraClients.push(client);
    // What a managed Redis with scripting disabled answers: a real "unknown command" reply from the server.
    client.eval = ((...args: unknown[]) =>
      client.call('EVAL_DISABLED', ...(args as string[]))) as Redis['eval'];
    client.evalsha = ((...args: unknown[]) =>
      client.call('EVALSHA_DISABLED', ...(args as string[]))) as Redis['evalsha'];
    const { store } = fresh(client);
    const failure = await store.verify().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnsupportedError);
    expect(String((failure as Error).message)).toMatch(/Lua scripting/);
    expect(await outcomes(store)).toEqual(allRejectedWith('store_unsupported'));
  });

  test('a refused port: every method rejects with StoreUnavailableError (ioredis would queue forever)', async () => {
    const client = redisClient({ port: await closedPort(), maxRetriesPerRequest: null });
    extraClients.push(client);
    const { store } = fresh(client, 150);
    expect(await outcomes(store)).toEqual(allRejectedWith('store_unavailable'));
  });

  test('a server that accepts but never answers: every method rejects within the timeout', async () => {
    const stalled = await stalledServer();
    const client = redisClient({ port: stalled.port, maxRetriesPerRequest: null });
    extraClients.push(client);
    try {
      const { store } = fresh(client, 150);
      expect(await outcomes(store)).toEqual(allRejectedWith('store_unavailable'));
    } finally {
      client.disconnect();
      await stalled.close();
    }
  });

  test('recovers when the server comes back, and after the client reconnects', async () => {
    const proxy = await tcpProxy(REDIS_URL);
    const client = redisClient({
      port: proxy.port,
      maxRetriesPerRequest: null,
      retryStrategy: () => 20,
    });
    extraClients.push(client);
    const { store } = fresh(client, 300);
    try {
      await expect(store.getSession('vs_1')).rejects.toBeInstanceOf(StoreUnavailableError);
      await proxy.start();
      await expect(store.insertSession(record('vs_1'))).resolves.toEqual({ ...record('vs_1'), version: 1 });
      client.disconnect();
      expect(await outcomes(store)).toEqual(allRejectedWith('store_unavailable'));
      await client.connect();
      expect((await store.getSession('vs_1'))?.version).toBe(1);
      expect((await outcomes(store)).getSession).toBe('resolved');
    } finally {
      client.disconnect();
      await proxy.stop();
    }
  });

  test('a timed-out call is reported as unavailable, not as a hang', async () => {
    const client = redisClient();
    extraClients.push(client);
    const { store } = fresh(client, 100);
    await store.verify();
    // A command that never gets its reply, as behind a half-open connection.
    client.evalsha = (() => new Promise(() => {})) as unknown as Redis['evalsha'];
    await expect(store.claimEvent('evt', { now: NOW, leaseMs: 10 })).rejects.toThrow(/within 100 ms/);
  });
});
