import { describe, expect, test } from 'vitest';
import { AttemptInProgressError, StripeRequestError } from '../../src/errors.js';
import { MemoryStore } from '../../src/stores/memory.js';
import { CREATE, impatient, settle } from '../support/impatient.js';

describe('a create whose answer is lost', () => {
  test('client timeout, Stripe creates afterwards: the next start finds that session, never a second', async () => {
    const t = await impatient();
    t.sim.failNext({ kind: 'slow', delayMs: 600, match: CREATE });
    const lost = await t.service.start({ id: 'user_1' }).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(StripeRequestError);
    expect(lost).toMatchObject({ code: 'stripe_connection', indeterminate: true });
    await settle(800); // Stripe's request finishes after the client gave up.
    expect(t.open()).toHaveLength(1);
    const next = await t.service.start({ id: 'user_1' });
    expect(next).toMatchObject({ status: 'redirect', sessionId: t.open()[0]?.id });
    expect(t.sim.sessions()).toHaveLength(1);
    expect((await t.service.status('user_1')).sessions.used).toBe(1);
  });

  test('a start while Stripe still runs the first create reuses its key: 409, then the same session', async () => {
    const t = await impatient();
    t.sim.failNext({ kind: 'slow', delayMs: 700, match: CREATE });
    await expect(t.service.start({ id: 'user_1' })).rejects.toBeInstanceOf(StripeRequestError);
    // Stripe is still creating: the same idempotency key answers 409 (idempotency_key_in_use).
    await expect(t.service.start({ id: 'user_1' })).rejects.toBeInstanceOf(AttemptInProgressError);
    const keys = new Set(t.creates().map((request) => request.idempotencyKey));
    expect(keys.size).toBe(1);
    expect(t.creates().map((request) => request.status)).toContain(409);
    await settle(900);
    const next = await t.service.start({ id: 'user_1' });
    expect(next.status).toBe('redirect');
    expect(t.sim.sessions()).toHaveLength(1);
    expect((await t.service.status('user_1')).sessions.used).toBe(1);
  });

  test('the store fails once on commit after Stripe answered: counted, one session, no clean release', async () => {
    const store = new MemoryStore();
    const commit = store.commitSessionSlot.bind(store);
    let failures = 1;
    store.commitSessionSlot = async (subject, reservationId, record) => {
      if (reservationId !== 'discovered' && failures-- > 0) {
        const { StoreUnavailableError } = await import('../../src/errors.js');
        throw new StoreUnavailableError('connection lost');
      }
      return commit(subject, reservationId, record);
    };
    const t = await impatient({ store, timeout: 5_000 });
    await expect(t.service.start({ id: 'user_1' })).rejects.toMatchObject({ code: 'store_unavailable' });
    expect(t.sim.sessions()).toHaveLength(1);
    const next = await t.service.start({ id: 'user_1' });
    expect(next).toMatchObject({ status: 'redirect', sessionId: t.sim.sessions()[0]?.id });
    expect(t.sim.sessions()).toHaveLength(1);
    expect((await t.service.status('user_1')).sessions.used).toBe(1);
  });

  test('the store fails on commit and on release: the same key replays the session after the lease', async () => {
    const store = new MemoryStore();
    const commit = store.commitSessionSlot.bind(store);
    const release = store.releaseSessionSlot.bind(store);
    let down = true;
    const { StoreUnavailableError } = await import('../../src/errors.js');
    store.commitSessionSlot = async (...args) => {
      if (down && args[1] !== 'discovered') throw new StoreUnavailableError('down');
      return commit(...args);
    };
    store.releaseSessionSlot = async (...args) => {
      if (down) throw new StoreUnavailableError('down');
      return release(...args);
    };
    const t = await impatient({ store, timeout: 5_000 });
    await expect(t.service.start({ id: 'user_1' })).rejects.toMatchObject({ code: 'store_unavailable' });
    down = false;
    t.sim.advance(31_000); // the reservation's lease (30 s) runs out
    const next = await t.service.start({ id: 'user_1' });
    expect(next.status).toBe('redirect');
    expect(t.sim.sessions()).toHaveLength(1);
    expect(new Set(t.creates().map((request) => request.idempotencyKey)).size).toBe(1);
    expect((await t.service.status('user_1')).sessions.used).toBe(1);
  });

  test('the created webhook of a lost session counts it, before any start', async () => {
    const t = await impatient({ webhooks: true });
    t.sim.failNext({ kind: 'slow', delayMs: 500, match: CREATE });
    await expect(t.service.start({ id: 'user_1' })).rejects.toBeInstanceOf(StripeRequestError);
    await settle(700);
    await t.sim.flushWebhooks();
    const status = await t.service.status('user_1');
    expect(status).toMatchObject({ state: 'requires_input', sessions: { used: 1 } });
  });

  test('a second open session that slipped through (changed parameters) is canceled and counted', async () => {
    const t = await impatient({ webhooks: true });
    t.sim.failNext({ kind: 'slow', delayMs: 500, match: CREATE });
    await expect(t.service.start({ id: 'user_1', email: 'a@example.com' })).rejects.toBeInstanceOf(
      StripeRequestError,
    );
    // Other parameters make another idempotency key: Stripe creates a second session meanwhile.
    const second = await t.service.start({ id: 'user_1', email: 'b@example.com' }).catch(() => null);
    await settle(700);
    await t.sim.flushWebhooks();
    await t.service.start({ id: 'user_1' });
    expect(t.sim.sessions().length).toBeLessThanOrEqual(2);
    expect(t.open()).toHaveLength(1);
    expect((await t.service.status('user_1')).sessions.used).toBe(t.sim.sessions().length);
    if (second?.status === 'redirect') expect(t.open()[0]?.id).toBe(second.sessionId);
  });
});

describe('a key that Stripe settled with a failure', () => {
  test('a replayed 500 retires the key: the next attempt uses the next one and succeeds', async () => {
    const t = await impatient({ timeout: 5_000 });
    t.sim.failNext({ kind: 'http_500', phase: 'inside', match: CREATE });
    await expect(t.service.start({ id: 'user_1' })).rejects.toMatchObject({
      code: 'stripe_api',
      statusCode: 500,
    });
    const result = await t.service.start({ id: 'user_1' });
    expect(result.status).toBe('redirect');
    const creates = t.creates();
    expect(creates.map((request) => request.replayed)).toEqual([false, true, false]);
    expect(creates[0]?.idempotencyKey).toBe(creates[1]?.idempotencyKey);
    expect(creates[2]?.idempotencyKey).not.toBe(creates[1]?.idempotencyKey);
    expect(t.sim.sessions()).toHaveLength(1);
    expect((await t.service.status('user_1')).sessions.used).toBe(1);
  });
});
